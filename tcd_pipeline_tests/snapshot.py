"""The snapshot of the code location: every asset (chapter, partitions, gates, owners), job and sensor.

    python -m tcd_pipeline_tests.snapshot > tcd_pipeline_tests/snapshots/definitions.txt

``pipeline/test_pipeline.py`` compares it with the committed file: an asset key, a gate, a job or
a sensor that appears, disappears or moves chapter is a change of the contract with users (their
run configs, BI queries and alerts name them) and must be deliberate.
"""

from tcd_pipeline.definitions import build_definitions


def render() -> str:
    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    lines = ["# assets: key | chapter (group) | partitions | owners | gates"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        partitions = node.partitions_def.name if node.partitions_def is not None else "-"
        checks = sorted(c.name for c in graph.asset_check_keys if c.asset_key == key)
        lines.append(f"{key.to_user_string()} | {node.group_name} | {partitions} | {', '.join(node.owners)} | "
                     f"{', '.join(checks) or '-'}")
    lines.append("# jobs")
    lines += sorted(j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__"))
    lines.append("# sensors: name | default status | jobs")
    for sensor in sorted(defs.sensors or [], key=lambda s: s.name):
        jobs = sorted(t.job_name for t in sensor.targets)
        lines.append(f"{sensor.name} | {sensor.default_status.value.lower()} | {', '.join(jobs)}")
    lines.append("# schedules")
    lines += sorted(s.name for s in defs.schedules or [])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
