"""Build brainsyn: the Go engine goes through `gopy build` into one CPython
extension (brainsyn._gopy._brainsyn_go) that also exports the bs_* C ABI."""

import os
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


class GoBuildExt(build_ext):
    """Runs gopy over ./pyapi and copies its outputs into the package."""

    def build_extension(self, ext):
        go = shutil.which("go") or "/usr/local/go/bin/go"
        if not os.path.exists(go):
            raise RuntimeError("brainsyn needs the Go toolchain (go >= 1.24) on PATH to build")
        bindir = os.path.join(HERE, "_build", "bin")
        outdir = os.path.join(HERE, "_build", "gopy")
        os.makedirs(bindir, exist_ok=True)
        env = dict(os.environ)
        env["PATH"] = bindir + os.pathsep + os.path.dirname(go) + os.pathsep + env.get("PATH", "")
        env["CGO_ENABLED"] = "1"
        env["CGO_LDFLAGS_ALLOW"] = "-fwrapv"
        env.setdefault("GOFLAGS", "-mod=mod")

        def run(*cmd):
            subprocess.check_call(list(cmd), cwd=HERE, env=env)

        # gopy and goimports come from go.mod's tool lines (pinned versions).
        run(go, "build", "-o", os.path.join(bindir, "gopy"), "github.com/go-python/gopy")
        run(go, "build", "-o", os.path.join(bindir, "goimports"), "golang.org/x/tools/cmd/goimports")
        shutil.rmtree(outdir, ignore_errors=True)
        run(os.path.join(bindir, "gopy"), "build", "-vm=" + sys.executable, "-output=" + outdir,
            "-name=brainsyn_go", "-no-make", "-dynamic-link=true", "./pyapi")
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(outdir, "_brainsyn_go" + suffix), target)
        for name in ("go.py", "pyapi.py"):
            shutil.copyfile(os.path.join(outdir, name), os.path.join(os.path.dirname(target), name))


setup(
    name="brainsyn",
    version="0.1.0",
    description="Synapse and small-network simulation in the BrainPy 1.0 style, with Go kernels",
    long_description=open(os.path.join(HERE, "README.md")).read() if os.path.exists(os.path.join(HERE, "README.md")) else "",
    long_description_content_type="text/markdown",
    package_dir={"": "python"},
    packages=find_packages("python"),
    ext_modules=[Extension("brainsyn._gopy._brainsyn_go", sources=[])],
    cmdclass={"build_ext": GoBuildExt},
    python_requires=">=3.9",
    install_requires=["numpy>=1.22", "matplotlib>=3.5"],
    extras_require={"progress": ["tqdm"], "sweep": ["dask[distributed]", "xarray", "tqdm"], "test": ["pytest", "hypothesis", "nbclient", "nbformat", "ipykernel", "tqdm", "dask[distributed]", "xarray", "pandas"]},
    zip_safe=False,
)
