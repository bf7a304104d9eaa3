"""Build brainsyn: the Go engine goes through `gopy build` into one CPython
extension (brainsyn._gopy._brainsyn_go) that also exports the bs_* C ABI.

A source build needs Go >= 1.24, a C compiler (cgo) and the Python headers;
a wheel needs none of them. What is missing is said in one line before
anything is built."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig

import setuptools
from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

try:
    from setuptools.errors import PlatformError
except ImportError:  # setuptools < 60
    from distutils.errors import DistutilsPlatformError as PlatformError

HERE = os.path.dirname(os.path.abspath(__file__))
GO_MIN = (1, 24)
# gopy's Python outputs, copied beside the extension.
GOPY_PY = ("go.py", "pyapi.py")
WHEEL_HINT = "or use a prebuilt wheel (pip install --only-binary brainsyn brainsyn)"
GET_GO = "Debian 13+/Ubuntu 25.04+: apt install golang; otherwise go.dev/dl"


def read_version():
    """__version__ from python/brainsyn/_version.py, without importing the package."""
    with open(os.path.join(HERE, "python", "brainsyn", "_version.py")) as f:
        m = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", f.read(), re.M)
    if not m:
        raise RuntimeError("python/brainsyn/_version.py sets no __version__")
    return m.group(1)


def find_go():
    """`go` on PATH, else /usr/local/go/bin/go (the Makefile looks the same way)."""
    go = shutil.which("go") or "/usr/local/go/bin/go"
    return go if os.access(go, os.X_OK) else None


def missing(need, found, install):
    return PlatformError(f"brainsyn: building from source needs {need}, and {found}: {install}, {WHEEL_HINT}")


def check_toolchain(env):
    """Returns the go binary, or raises PlatformError (one line) naming what to install."""
    need_go = "Go >= %d.%d" % GO_MIN
    go = find_go()
    if go is None:
        raise missing(need_go, "there is no go on PATH or in /usr/local/go/bin", f"install Go ({GET_GO})")
    try:
        out = subprocess.run([go, "env", "GOVERSION", "CC"], cwd=HERE, env=env, capture_output=True,
                             text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        raise missing(need_go, f"{go} does not run ({e})", f"install Go ({GET_GO})")
    lines = out.stdout.splitlines()
    m = re.match(r"go(\d+)\.(\d+)", lines[0]) if out.returncode == 0 and lines else None
    if not m:
        detail = (out.stderr.strip().splitlines() or ["it printed no version"])[-1]
        raise missing(need_go, f"{go} fails: {detail}", f"install Go ({GET_GO})")
    if (int(m.group(1)), int(m.group(2))) < GO_MIN:
        raise missing(need_go, f"{go} is {lines[0]}", f"install a newer Go ({GET_GO})")
    cc = (lines[1].split() if len(lines) > 1 else []) or ["gcc"]
    if shutil.which(cc[0], path=env.get("PATH")) is None:
        raise missing("a C compiler for cgo", f"{cc[0]!r} (CC, or go's default) is not found",
                      "install one (Debian/Ubuntu: apt install gcc; macOS: xcode-select --install)")
    include = sysconfig.get_path("include")
    if not os.path.isfile(os.path.join(include, "Python.h")):
        ver = "%d.%d" % sys.version_info[:2]
        raise missing(f"the Python {ver} headers", f"there is no Python.h in {include}",
                      f"install them (Debian/Ubuntu: apt install python{ver}-dev)")
    return go


class GoBuildExt(build_ext):
    """Runs gopy over ./pyapi and copies its outputs into the package."""

    def build_extension(self, ext):
        bindir = os.path.join(HERE, "_build", "bin")
        outdir = os.path.join(HERE, "_build", "gopy")
        env = dict(os.environ)
        env["CGO_ENABLED"] = "1"
        env["CGO_LDFLAGS_ALLOW"] = "-fwrapv"
        # -buildvcs=false: no git queries (a checkout copied into a build container
        # may belong to another user, and git then refuses to answer).
        env.setdefault("GOFLAGS", "-mod=mod -buildvcs=false")
        go = check_toolchain(env)
        os.makedirs(bindir, exist_ok=True)
        env["PATH"] = bindir + os.pathsep + os.path.dirname(go) + os.pathsep + env.get("PATH", "")

        def run(*cmd):
            subprocess.check_call(list(cmd), cwd=HERE, env=env)

        # gopy and goimports come from go.mod's tool lines (pinned versions).
        run(go, "build", "-o", os.path.join(bindir, "gopy"), "github.com/go-python/gopy")
        run(go, "build", "-o", os.path.join(bindir, "goimports"), "golang.org/x/tools/cmd/goimports")
        shutil.rmtree(outdir, ignore_errors=True)
        # -dynamic-link=true links with the interpreter's LDSHARED flags and leaves
        # Python's symbols to the running interpreter: the extension does not link
        # libpython (manylinux forbids it; manylinux interpreters have none).
        run(os.path.join(bindir, "gopy"), "build", "-vm=" + sys.executable, "-output=" + outdir,
            "-name=brainsyn_go", "-no-make", "-dynamic-link=true", "./pyapi")
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(outdir, "_brainsyn_go" + suffix), target)
        for name in GOPY_PY:
            shutil.copyfile(os.path.join(outdir, name), os.path.join(os.path.dirname(target), name))

    def copy_extensions_to_source(self):
        """--inplace and `pip install -e .`: gopy's Python files go beside the
        extension in python/brainsyn/_gopy/ too."""
        super().copy_extensions_to_source()
        build_py = self.get_finalized_command("build_py")
        for ext in self.extensions:
            inplace_file, regular_file = self._get_inplace_equivalent(build_py, ext)
            for name in GOPY_PY:
                self.copy_file(os.path.join(os.path.dirname(regular_file), name),
                               os.path.join(os.path.dirname(inplace_file), name), level=self.verbose)


CLASSIFIERS = [
    "Development Status :: 3 - Alpha",
    "Intended Audience :: Science/Research",
    "Operating System :: POSIX :: Linux",
    "Operating System :: MacOS",
    "Programming Language :: Go",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Programming Language :: Python :: 3.9",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13",
    "Programming Language :: Python :: Implementation :: CPython",
    "Topic :: Scientific/Engineering :: Bio-Informatics",
]
# setuptools >= 77 writes the SPDX expression (License-Expression, metadata 2.4)
# and rejects a licence classifier beside it; older ones write License and the classifier.
if int(setuptools.__version__.split(".")[0]) >= 77:
    LICENSE = {"license_expression": "BSD-3-Clause"}
else:
    LICENSE = {"license": "BSD-3-Clause"}
    CLASSIFIERS.append("License :: OSI Approved :: BSD License")

setup(
    name="brainsyn",
    version=read_version(),
    description="Synapse and small-network simulation in the BrainPy 1.0 style, with Go kernels",
    long_description=open(os.path.join(HERE, "README.md")).read() if os.path.exists(os.path.join(HERE, "README.md")) else "",
    long_description_content_type="text/markdown",
    license_files=["LICENSE"],
    classifiers=CLASSIFIERS,
    package_dir={"": "python"},
    packages=find_packages("python"),
    ext_modules=[Extension("brainsyn._gopy._brainsyn_go", sources=[])],
    cmdclass={"build_ext": GoBuildExt},
    python_requires=">=3.9",
    install_requires=["numpy>=1.22", "matplotlib>=3.5"],
    extras_require={"progress": ["tqdm"], "sweep": ["dask[distributed]", "xarray", "tqdm"], "test": ["pytest", "hypothesis", "nbclient", "nbformat", "ipykernel", "tqdm", "dask[distributed]", "xarray", "pandas"]},
    zip_safe=False,
    **LICENSE,
)
