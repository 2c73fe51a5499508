// autoscaling HorizontalPodAutoscaler (v1 and v2), after upstream printHorizontalPodAutoscaler (1.32).
// Upstream prints the internal (v2-shaped) object; a v1 object's CPU target/current are converted
// to one Resource metric first, as the v1→internal conversion does.
import type { TablePrinter } from './types.js';
import { ageCol, col, int, nameCol, objAge, objName, str } from './columns.js';

function v1Metrics(hpa: any): { specs: any[]; statuses: any[] } {
  const target = hpa?.spec?.targetCPUUtilizationPercentage;
  const current = hpa?.status?.currentCPUUtilizationPercentage;
  const specs =
    target == null ? [] : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  const statuses = current == null ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  return { specs, statuses };
}

// Quantities are printed as stored; Skiff keeps the client's canonical form.
const q = (v: unknown) => str(v);

/** One `current/target` entry for metric `i`, per metric source type. */
function metricEntry(spec: any, status: any): string {
  switch (spec?.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = spec[key]?.target ?? {};
      const cur = status?.[key]?.current;
      if (target.averageValue != null) {
        const current = cur?.averageValue != null ? q(cur.averageValue) : '<unknown>';
        return `${current}/${q(target.averageValue)} (avg)`;
      }
      // Upstream prints the zero quantity when the status entry exists but has no value.
      const current = status?.[key] ? q(cur?.value) || '0' : '<unknown>';
      return `${current}/${q(target.value) || '0'}`;
    }
    case 'Pods': {
      const current = status?.pods ? q(status.pods.current?.averageValue) || '0' : '<unknown>';
      return `${current}/${q(spec.pods?.target?.averageValue) || '0'}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const src = spec[key] ?? {};
      const target = src.target ?? {};
      const cur = status?.[key];
      if (target.averageValue != null) {
        const current = cur ? q(cur.current?.averageValue) || '0' : '<unknown>';
        return `${str(src.name)}: ${current}/${q(target.averageValue)}`;
      }
      const current = cur?.current?.averageUtilization != null ? `${cur.current.averageUtilization}%` : '<unknown>';
      const want = target.averageUtilization != null ? `${target.averageUtilization}%` : '<auto>';
      return `${str(src.name)}: ${current}/${want}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: the first two metrics as `current/target`, then `+ N more...`; `<none>` without metrics. */
export function hpaTargets(hpa: any): string {
  const v2 = Array.isArray(hpa?.spec?.metrics);
  const { specs, statuses } = v2 ? { specs: hpa.spec.metrics, statuses: hpa?.status?.currentMetrics ?? [] } : v1Metrics(hpa);
  if (specs.length === 0) return '<none>';
  const max = 2;
  // Status entries are matched by index, as upstream does.
  const list = specs.map((s: any, i: number) => metricEntry(s, statuses[i]));
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Reference', 'string', 'The scaled workload, as Kind/name.'),
    col('Targets', 'string', 'Current and target values of each metric.'),
    col('MinPods', 'string', 'Lower replica bound.'),
    col('MaxPods', 'string', 'Upper replica bound.'),
    col('Replicas', 'string', 'Current number of replicas.'),
    ageCol(),
  ],
  cells(hpa, now) {
    const ref = hpa?.spec?.scaleTargetRef ?? {};
    const min = hpa?.spec?.minReplicas;
    return [
      objName(hpa),
      `${str(ref.kind)}/${str(ref.name)}`,
      hpaTargets(hpa),
      min != null ? String(int(min)) : '<unset>',
      int(hpa?.spec?.maxReplicas),
      int(hpa?.status?.currentReplicas),
      objAge(hpa, now),
    ];
  },
};
