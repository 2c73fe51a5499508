// The shapes the API server's Table conversion consumes (meta.k8s.io/v1 TableColumnDefinition).

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown only with `kubectl get -o wide`. */
  priority: number;
}

export interface TablePrinter {
  columns: TableColumnDefinition[];
  /** Cells for one object, in column order; `now` = ms since epoch (ages are rendered server-side). */
  cells(obj: any, now: number): unknown[];
}
