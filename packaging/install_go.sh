#!/bin/sh
# Installs Go VERSION into /usr/local/go, where setup.py looks when `go` is
# not on PATH. Used by the release workflow inside cibuildwheel's manylinux
# containers (CIBW_BEFORE_ALL_LINUX), which have no Go.
# usage: packaging/install_go.sh VERSION   (e.g. 1.26.8)
set -eu
version=$1
case $(uname -m) in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install_go.sh: no Go download for $(uname -m)" >&2; exit 1 ;;
esac
rm -rf /usr/local/go
curl -fsSL "https://go.dev/dl/go${version}.linux-${arch}.tar.gz" | tar -C /usr/local -xz
/usr/local/go/bin/go version
