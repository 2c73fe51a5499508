import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRef } from './imageref.js';

test('normalizeRef matches docker reference normalisation', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['bitnami/nginx:1', 'docker.io/bitnami/nginx:1'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/spike/busybox:1.35', '127.0.0.1:5000/spike/busybox:1.35'],
    ['busybox@sha256:abc', 'docker.io/library/busybox@sha256:abc'],
    ['sha256:0123', 'sha256:0123'],
  ];
  for (const [in_, out] of cases) assert.equal(normalizeRef(in_), out, in_);
});
