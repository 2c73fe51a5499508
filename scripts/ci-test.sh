#!/usr/bin/env bash
# The one line the README gives for running the tests on a fresh Debian machine: install the Debian
# packages the tests need, then `npm ci` and `npm test`.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# etcd-server: the etcd backend tests; iproute2, util-linux, mount, bsdutils: the process runtime (netns,
# veth, unshare/nsenter, script for ttys); python3: e2e pods serving HTTP; iptables, conntrack: kube-proxy;
# dnsutils (dig), busybox-static, wrk, socat, dnsmasq-base: Service and DNS e2e tests and benches;
# containerd, runc, CNI plugins, docker-registry, umoci, skopeo, catatonit (pause image): the CRI runtime tests.
$SUDO apt-get install -y -qq --no-install-recommends etcd-server iproute2 util-linux mount bsdutils python3 tar \
  iptables conntrack dnsutils busybox-static wrk socat dnsmasq-base \
  containerd runc containernetworking-plugins docker-registry umoci skopeo catatonit >/dev/null
npm ci --no-audit --no-fund
npm test
