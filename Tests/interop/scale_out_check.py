#!/usr/bin/env python3
"""The scale-out examples (examples/scale-out) end with exactly the tree one plain run writes.

- Ray: a real local Ray (ray.init(num_cpus=2)) runs the driver's tasks, 4 partitions of coco-real,
  then `merge`; the tree is compared byte for byte with one plain run.
- Slurm: on a real cluster when one answers (./dev test starts a one-node cluster with
  slurm_single_node.sh), slurm_submit.sh submits the array and the dependent merge; always, the array
  script also runs as each array task would (SLURM_ARRAY_TASK_ID/COUNT set), then the merge script.
- Kubernetes: the Indexed Job's own command and env (read from the manifest, paths mapped to a
  scratch directory) run once per JOB_COMPLETION_INDEX, then the merge Job's command.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_support as s  # noqa: E402

BIN = os.path.abspath(s.binary())
SHARED = os.environ.get("SHARED", os.path.join(s.ROOT, "..", "shared"))
WORK = os.environ.get("WORK") or os.path.join("/tmp", "scale-out-check")
EXAMPLES = os.path.join(s.ROOT, "examples", "scale-out")
INPUT = os.path.join(SHARED, "data", "coco-real", "instances", "annotations", "instances_train2017.json")


def files(root):
    """Relative path → bytes of every file under root (hidden ones included)."""
    out = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def same_tree(what, got_root, expected_root):
    got, expected = files(got_root), files(expected_root)
    s.check(len(expected) > 0, f"{what}: the plain run wrote nothing")
    s.check(sorted(got) == sorted(expected), f"{what}: file lists differ: only in split {sorted(set(got) - set(expected))[:5]}, "
            f"only in plain {sorted(set(expected) - set(got))[:5]}")
    differing = [name for name in expected if name in got and got[name] != expected[name]]
    s.check(not differing, f"{what}: {len(differing)} files differ from the plain run, e.g. {differing[:3]}")


def plain(route, output, *extra):
    proc = subprocess.run([BIN, route, INPUT, output, "--quiet", *extra], capture_output=True, text=True)
    s.check(proc.returncode == 0, f"plain {route}: {proc.stderr}")


def ray_driver():
    import ray
    sys.path.insert(0, EXAMPLES)
    import ray_convert
    expected, output = os.path.join(WORK, "ray-plain"), os.path.join(WORK, "ray-split")
    plain("coco2png", expected)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        summary = ray_convert.run(BIN, "coco2png", INPUT, output, 4, [])
    finally:
        ray.shutdown()
    s.check("merged 4 partitions" in summary["merge"], f"ray: merge said {summary['merge']!r}")
    same_tree("ray, 4 partitions", output, expected)


def slurm_cluster():
    """The submit script on a real (one-node) Slurm cluster: the array, then the dependent merge."""
    import time
    expected, output = os.path.join(WORK, "sbatch-plain"), os.path.join(WORK, "sbatch-split")
    plain("coco2voc", expected)
    env = dict(os.environ, COCOCONVERT=BIN, ROUTE="coco2voc", CPUS="1")
    proc = subprocess.run(["bash", os.path.join(EXAMPLES, "slurm_submit.sh"), "3", INPUT, output], env=env, cwd=WORK,
                          capture_output=True, text=True)
    if not s.check(proc.returncode == 0, f"slurm_submit.sh: {proc.stderr}"):
        return
    jobs = proc.stdout.split()
    deadline = time.time() + 300
    while time.time() < deadline:
        queue = subprocess.run(["squeue", "-h", "-j", ",".join(j.split(";")[0] for j in jobs)], capture_output=True, text=True)
        if not queue.stdout.strip():
            break
        time.sleep(0.5)
    same_tree("slurm cluster, 3-task array + dependent merge", output, expected)


def slurm_array():
    """Each array task's environment without Slurm daemons."""
    expected, output = os.path.join(WORK, "slurm-plain"), os.path.join(WORK, "slurm-split")
    plain("coco2voc", expected)
    for task in range(3):
        env = dict(os.environ, COCOCONVERT=BIN, ROUTE="coco2voc", SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_TASK_COUNT="3")
        proc = subprocess.run(["bash", os.path.join(EXAMPLES, "slurm_convert.sbatch"), INPUT, output], env=env,
                              capture_output=True, text=True)
        s.check(proc.returncode == 0, f"slurm task {task}: {proc.stderr}")
        s.check(f"partition {task} of 3 (index from SLURM_ARRAY_TASK_ID, count from SLURM_ARRAY_TASK_COUNT" in proc.stderr,
                f"slurm task {task}: the summary does not name the partition and its source: {proc.stderr}")
    proc = subprocess.run(["bash", os.path.join(EXAMPLES, "slurm_merge.sbatch"), output], env=dict(os.environ, COCOCONVERT=BIN),
                          capture_output=True, text=True)
    s.check(proc.returncode == 0, f"slurm merge: {proc.stderr}")
    same_tree("slurm array, 3 tasks", output, expected)


def kubernetes_indexed_job():
    import yaml
    with open(os.path.join(EXAMPLES, "kubernetes", "convert-indexed-job.yaml")) as f:
        job = yaml.safe_load(f)
    with open(os.path.join(EXAMPLES, "kubernetes", "merge-job.yaml")) as f:
        merge = yaml.safe_load(f)
    spec = job["spec"]
    s.check(spec["completionMode"] == "Indexed", "the manifest is not an Indexed Job")
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    s.check(env.get("COCOCONVERT_PARTITIONS") == str(spec["completions"]), "COCOCONVERT_PARTITIONS differs from completions")
    data = os.path.join(WORK, "k8s")
    os.makedirs(os.path.join(data, "annotations"), exist_ok=True)
    source = os.path.join(data, "annotations", "instances_train2017.json")
    if not os.path.exists(source):
        os.symlink(INPUT, source)
    mapped = lambda argv: [BIN if a == "cococonvert" else a.replace("/data", data) for a in argv]  # noqa: E731
    command = mapped(container["command"])
    expected = os.path.join(WORK, "k8s-plain")
    subprocess.run([BIN] + command[1:3] + [expected, "--quiet"], check=True)
    for index in range(spec["completions"]):
        proc = subprocess.run(command, env=dict(os.environ, JOB_COMPLETION_INDEX=str(index), **env), capture_output=True, text=True)
        s.check(proc.returncode == 0, f"pod {index}: {proc.stderr}")
        s.check("index from JOB_COMPLETION_INDEX, count from COCOCONVERT_PARTITIONS" in proc.stderr, f"pod {index}: {proc.stderr}")
    proc = subprocess.run(mapped(merge["spec"]["template"]["spec"]["containers"][0]["command"]), capture_output=True, text=True)
    s.check(proc.returncode == 0, f"merge job: {proc.stderr}")
    same_tree("kubernetes indexed job", command[3], expected)


os.makedirs(WORK, exist_ok=True)
ray_driver()
slurm_array()
if subprocess.run(["sinfo"], capture_output=True).returncode == 0:
    slurm_cluster()
else:
    print("note: no Slurm cluster answers here; the array script was tested through SLURM_ARRAY_TASK_ID/COUNT only")
kubernetes_indexed_job()
s.finish()
