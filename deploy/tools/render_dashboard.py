"""Draw a Grafana dashboard's time-series panels as one PNG from a live Prometheus (for the docs).

    pip install matplotlib
    python deploy/tools/render_dashboard.py --prometheus http://127.0.0.1:9090 \
        --dashboard deploy/helm/aisec/dashboards/aisec-security.json --out docs/images/aisec-security-dashboard.png

Runs each panel's PromQL through /api/v1/query_range over the last --minutes, substituting Grafana's
variables ($__rate_interval, $__range, $service = all) the way Grafana would, and plots the series with the
panel's legend format. Not used by the services or tests; matplotlib is a documentation-only dependency.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the headless backend

SUBSTITUTIONS = {"$__rate_interval": "1m", "$__interval": "15s", "$service": ".*"}


def query_range(prometheus: str, expr: str, minutes: float, step_s: float) -> list[dict[str, Any]]:
    end = time.time()
    params = urllib.parse.urlencode({"query": expr, "start": end - minutes * 60, "end": end, "step": step_s})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}", timeout=30) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read())
    result: list[dict[str, Any]] = answer["data"]["result"]
    return result


def legend(template: str, labels: dict[str, str]) -> str:
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template or "")
    return text.strip() or ", ".join(f"{k}={v}" for k, v in labels.items() if k != "__name__") or "value"


def render(prometheus: str, dashboard: dict[str, Any], out: Path, minutes: float, max_panels: int) -> int:
    panels = [p for p in dashboard["panels"] if p["type"] in ("timeseries", "stat", "bargauge")][:max_panels]
    columns = 3
    rows = math.ceil(len(panels) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6 * columns, 3.2 * rows), squeeze=False)
    figure.suptitle(dashboard["title"], fontsize=16, fontweight="bold")
    drawn = 0
    for index, panel in enumerate(panels):
        axis = axes[index // columns][index % columns]
        axis.set_title(panel["title"], fontsize=11, loc="left")
        axis.grid(alpha=0.3)
        for target in panel["targets"]:
            expr = target["expr"]
            for variable, value in SUBSTITUTIONS.items():
                expr = expr.replace(variable, value)
            expr = expr.replace("$__range", f"{int(minutes)}m")
            for series in query_range(prometheus, expr, minutes, step_s=max(1.0, minutes * 60 / 200)):
                points = [
                    (float(t), float(v)) for t, v in series["values"] if v not in ("NaN", "+Inf", "-Inf")
                ]
                if not points:
                    continue
                start = points[0][0]
                axis.plot(
                    [(t - start) / 60 for t, _ in points],
                    [v for _, v in points],
                    label=legend(target.get("legendFormat", ""), series["metric"])[:40],
                )
                drawn += 1
        if axis.lines:
            axis.legend(fontsize=7, loc="upper left")
        else:
            axis.text(0.5, 0.5, "no data", ha="center", va="center", transform=axis.transAxes, color="grey")
        axis.set_xlabel("minutes", fontsize=8)
        axis.tick_params(labelsize=8)
    for index in range(len(panels), rows * columns):
        axes[index // columns][index % columns].axis("off")
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=90)
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prometheus", required=True, help="Prometheus base URL")
    parser.add_argument("--dashboard", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--max-panels", type=int, default=12)
    args = parser.parse_args()
    dashboard = json.loads(args.dashboard.read_text(encoding="utf-8"))
    drawn = render(args.prometheus.rstrip("/"), dashboard, args.out, args.minutes, args.max_panels)
    print(f"{args.out}: {drawn} series")
    return 0 if drawn else 1


if __name__ == "__main__":
    raise SystemExit(main())
