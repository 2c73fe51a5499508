// Image reference normalisation, as the kubelet and containerd apply it (docker/distribution's
// reference.ParseNormalizedNamed): a bare name is a Docker Hub library image, a missing tag is :latest.

/** busybox → docker.io/library/busybox:latest; refs with a digest or an image id stay as they are. */
export function normalizeRef(ref: string): string {
  if (ref.startsWith('sha256:')) return ref;
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  } else {
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > slash) {
      suffix = name.slice(colon);
      name = name.slice(0, colon);
    } else suffix = ':latest';
  }
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = 'docker.io/' + (name.includes('/') ? name : 'library/' + name);
  return name + suffix;
}
