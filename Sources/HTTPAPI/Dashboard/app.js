// The fleet dashboard: plain modern JavaScript, no build step. Hash routes:
//   #/            overview (summary, chart, alerts, recommendations, insights, fleet)
//   #/alerts      all alerts with filters
//   #/fleet       agents by role
//   #/agent/ID    one agent
//   #/role/NAME   one role
// Every panel polls its API answers with If-None-Match and re-renders only when one changed.
"use strict";

const API = "/api/v1";
const POLL_MS = 5000;
const DAY_MS = 86400000;

// ---------------------------------------------------------------- DOM helpers

/** Creates an element: h("a", {href: "#/", class: "x"}, "text", child, [children]). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "style") el.style.cssText = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// ---------------------------------------------------------------- formatting

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const nf4 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 4, maximumFractionDigits: 4 });

const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const money = (v, f) => (v < 0 ? "-$" : "$") + f.format(Math.abs(v));
const fmt = {
  int: (v) => (isNum(v) ? nf0.format(v) : "—"),
  pct: (v) => (isNum(v) ? nf2.format(v) + "%" : "—"),
  pct1: (v) => (isNum(v) ? nf1.format(v) + "%" : "—"),
  num2: (v) => (isNum(v) ? nf2.format(v) : "—"),
  ms: (v) => (isNum(v) ? (Math.abs(v) >= 1000 ? nf0.format(v) : nf2.format(v)) + " ms" : "—"),
  msExact: (v) => (isNum(v) ? nf2.format(v) + " ms" : "—"),
  // USD: cents from a dollar up, else the contract's 4 decimals (sub-cent costs are normal).
  usd: (v) => (isNum(v) ? (Math.abs(v) >= 1 ? money(v, nf2) : money(v, nf4)) : "—"),
  usd2: (v) => (isNum(v) ? money(v, nf2) : "—"),
  usd4: (v) => (isNum(v) ? money(v, nf4) : "—"),
  pvalue: (v) => (isNum(v) ? (v < 0.0001 ? v.toExponential(2) : String(Number(v.toPrecision(4)))) : "—"),
  slope: (v) => (isNum(v) ? (v > 0 ? "+" : "") + String(Number(v.toFixed(4))) : "—"),
  label: (s) => String(s || "").replace(/_/g, " "),
};

function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function relTime(iso) {
  if (!iso) return "";
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  return Math.floor(s / 86400) + " d ago";
}

function timeEl(iso) {
  return h("time", { datetime: iso, title: fmtTime(iso) }, relTime(iso));
}

const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------- API access

class APIError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The API key, when the service requires one (kept for this tab only). */
const auth = {
  get key() {
    try {
      return sessionStorage.getItem("fleet-metrics-api-key") || "";
    } catch (e) {
      return "";
    }
  },
  set key(value) {
    try {
      sessionStorage.setItem("fleet-metrics-api-key", value);
    } catch (e) {
      /* storage disabled: the key lasts until the page is left */
    }
  },
  headers(extra) {
    const headers = { Accept: "application/json", ...extra };
    if (this.key) headers.Authorization = "Bearer " + this.key;
    return headers;
  },
  /** Shows the key form after a 401. */
  required() {
    const form = document.getElementById("auth");
    if (form.hidden) {
      form.hidden = false;
      form.querySelector("input").focus();
    }
  },
};

/** GETs with If-None-Match; remembers the last answer per URL. */
const api = {
  cache: new Map(),

  async get(path) {
    const cached = this.cache.get(path);
    const headers = auth.headers();
    if (cached) headers["If-None-Match"] = cached.etag;
    let response;
    try {
      response = await fetch(API + path, { headers, cache: "no-store" });
    } catch (e) {
      this.offline = true;
      throw new APIError(0, "The service cannot be reached.", "network");
    }
    this.offline = false;
    if (response.status === 304 && cached) return { body: cached.body, changed: false };
    if (response.status === 401) auth.required();
    const body = await response.json().catch(() => null);
    if (!response.ok || !body || body.success !== true) {
      const err = body && body.error;
      throw new APIError(response.status, err ? err.message : `HTTP ${response.status}`, err && err.code);
    }
    const etag = response.headers.get("ETag");
    if (etag) this.cache.set(path, { etag, body });
    return { body, changed: true };
  },

  async put(path, payload) {
    const response = await fetch(API + path, {
      method: "PUT",
      headers: auth.headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(payload || {}),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok || !body || body.success !== true) {
      const err = body && body.error;
      throw new APIError(response.status, err ? err.message : `HTTP ${response.status}`, err && err.code);
    }
    return body;
  },
};

// ---------------------------------------------------------------- live status and toasts

const live = {
  set(ok, text) {
    const el = document.getElementById("live");
    el.classList.toggle("live-error", !ok);
    el.querySelector(".live-text").textContent = text;
  },
};

let toastTimer = null;
function toast(message, kind = "error") {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.className = "toast toast-" + kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 4000);
}

// ---------------------------------------------------------------- panels

/**
 * A section of a page that shows one or more API answers. `paths()` names them (it may depend
 * on the panel's own controls); `render(bodies, body)` draws them into the panel's body. Shows a
 * loading state before the first answer and an error state (keeping the last good content)
 * when a poll fails. With `notFound(body)`, a 404 is a normal state (e.g. no budget is set) that
 * it draws instead, and the poll counts as a success.
 */
class Panel {
  constructor({ title, id, className, paths, render, controls, wide, notFound }) {
    this.paths = paths;
    this.renderBody = render;
    this.renderNotFound = notFound;
    this.missing = false;
    this.lastKey = null;
    this.hasContent = false;
    this.charts = [];
    this.el = h("section", { class: ["panel", className, wide ? "panel-wide" : ""].filter(Boolean).join(" "), id });
    this.head = h("div", { class: "panel-head" }, title ? h("h2", {}, title) : null);
    this.controlsEl = h("div", { class: "panel-controls" });
    if (controls) append(this.controlsEl, [controls]);
    this.head.append(this.controlsEl);
    this.errorEl = h("div", { class: "panel-error", role: "alert", hidden: true });
    this.body = h("div", { class: "panel-body", "aria-busy": "true" }, skeleton());
    this.el.append(this.head, this.errorEl, this.body);
  }

  async refresh(force = false) {
    const paths = this.paths();
    const key = paths.join("|");
    try {
      const results = await Promise.all(paths.map((p) => api.get(p)));
      if (force || this.missing || key !== this.lastKey || !this.hasContent || results.some((r) => r.changed)) {
        this.lastKey = key;
        this.missing = false;
        this.renderBody(results.map((r) => r.body), this.body, this);
        this.hasContent = true;
        this.body.setAttribute("aria-busy", "false");
      }
      this.errorEl.hidden = true;
      return true;
    } catch (e) {
      if (e.status === 404 && this.renderNotFound) {
        if (force || !this.missing || key !== this.lastKey) this.renderNotFound(this.body, this);
        this.lastKey = key;
        this.missing = true;
        this.hasContent = true;
        this.errorEl.hidden = true;
        this.body.setAttribute("aria-busy", "false");
        return true;
      }
      this.showError(e);
      return false;
    }
  }

  showError(e) {
    // While the whole service is unreachable one banner says so; panels keep their last data.
    if (e.code === "network" && this.hasContent) {
      this.errorEl.hidden = true;
      return;
    }
    const retry = h("button", { class: "btn btn-small", type: "button", onclick: () => this.refresh(true) }, "Retry");
    replaceChildren(
      this.errorEl,
      h("span", {}, this.hasContent ? "Could not refresh: " : "Could not load: ", e.message),
      " ",
      retry,
    );
    this.errorEl.hidden = false;
    if (!this.hasContent) {
      this.body.setAttribute("aria-busy", "false");
      replaceChildren(this.body, h("p", { class: "empty" }, "No data to show."));
    }
  }

  destroy() {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}

function skeleton() {
  return h("div", { class: "skeleton", "aria-label": "Loading" }, h("div"), h("div"), h("div"));
}

// ---------------------------------------------------------------- shared state

/** The registered agents (for names → ids in insights, which answer with names). */
const fleet = { agents: [], byName: new Map(), roles: [] };

async function loadAgents() {
  const { body, changed } = await api.get("/agents");
  if (changed || fleet.agents.length === 0) {
    fleet.agents = body.data;
    fleet.byName = new Map(body.data.map((a) => [a.name, a]));
    fleet.roles = [...new Set(body.data.map((a) => a.role))].sort();
  }
  return changed;
}

function agentLink(nameOrId, id) {
  let agent = null;
  if (id !== undefined && id !== null) agent = fleet.agents.find((a) => a.id === id) || { id, name: nameOrId };
  else agent = fleet.byName.get(nameOrId);
  const name = nameOrId ?? (agent && agent.name) ?? `agent ${id}`;
  if (!agent) return h("span", { class: "agent-name" }, name);
  return h("a", { class: "agent-link", href: `#/agent/${agent.id}` }, name);
}

function roleLink(role) {
  return h("a", { class: "role-link chip", href: `#/role/${encodeURIComponent(role)}` }, role);
}

// ---------------------------------------------------------------- chart controls

/** The time-series window and granularity, shared by every chart. */
const chartPrefs = {
  granularity: "day",
  from: isoDate(Date.now() - 29 * DAY_MS),
  to: isoDate(Date.now()),
  // Until someone picks dates, the range is "the last 30 days" and follows the clock.
  auto: true,
  roll() {
    if (!this.auto) return;
    this.from = isoDate(Date.now() - 29 * DAY_MS);
    this.to = isoDate(Date.now());
  },
  window() {
    this.roll();
    return `start_date=${this.from}T00:00:00Z&end_date=${this.to}T23:59:59Z`;
  },
};

function seriesQuery(extra) {
  chartPrefs.roll();
  const q = new URLSearchParams({
    granularity: chartPrefs.granularity,
    start_date: chartPrefs.from + "T00:00:00Z",
    end_date: chartPrefs.to + "T23:59:59Z",
  });
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  return "/metrics/aggregate/timeseries?" + q.toString();
}

function chartControls(onChange) {
  const seg = h("div", { class: "segmented", role: "group", "aria-label": "Granularity" });
  for (const g of ["hour", "day", "week", "month"]) {
    seg.append(
      h(
        "button",
        {
          type: "button",
          class: g === chartPrefs.granularity ? "active" : "",
          "aria-pressed": String(g === chartPrefs.granularity),
          dataset: { granularity: g },
          onclick: (ev) => {
            chartPrefs.granularity = g;
            for (const b of seg.children) {
              b.classList.toggle("active", b === ev.currentTarget);
              b.setAttribute("aria-pressed", String(b === ev.currentTarget));
            }
            onChange();
          },
        },
        g[0].toUpperCase() + g.slice(1),
      ),
    );
  }
  const from = h("input", { type: "date", value: chartPrefs.from, "aria-label": "From", max: chartPrefs.to });
  const to = h("input", { type: "date", value: chartPrefs.to, "aria-label": "To", min: chartPrefs.from });
  const changed = () => {
    if (!from.value || !to.value) return;
    if (from.value > to.value) {
      toast("The start date must not be after the end date.");
      from.value = chartPrefs.from;
      to.value = chartPrefs.to;
      return;
    }
    chartPrefs.from = from.value;
    chartPrefs.to = to.value;
    chartPrefs.auto = false;
    from.max = to.value;
    to.min = from.value;
    onChange();
  };
  from.addEventListener("change", changed);
  to.addEventListener("change", changed);
  return h("div", { class: "chart-controls" }, seg, h("div", { class: "range" }, from, h("span", { class: "muted" }, "→"), to));
}

const COLORS = {
  success: "#16a34a",
  time: "#4f46e5",
  cost: "#d97706",
  grid: "rgba(15, 23, 42, 0.06)",
  text: "#64748b",
};

function bucketLabel(iso, granularity) {
  const d = new Date(iso);
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  if (granularity === "hour") return `${month} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
  if (granularity === "month") return `${month} ${d.getUTCFullYear()}`;
  return `${month} ${d.getUTCDate()}`;
}

/** The time-series panel (fleet, one agent or one role). */
function timeSeriesPanel(title, filter) {
  let chart = null;
  const canvas = h("canvas", { "aria-label": "Success rate, average execution time and cost over time", role: "img" });
  const totals = h("div", { class: "chart-totals" });
  const wrap = h("div", {}, totals, h("div", { class: "chart-box" }, canvas));
  const panel = new Panel({
    title,
    className: "panel-chart",
    wide: true,
    controls: chartControls(() => panel.refresh(true)),
    paths: () => [seriesQuery(filter)],
    render: ([body], el) => {
      if (!el.contains(wrap)) replaceChildren(el, wrap);
      const rows = body.data;
      const g = body.period.granularity;
      let ops = 0, ok = 0, cost = 0;
      for (const r of rows) {
        ops += r.total_operations;
        ok += r.successful_operations;
        cost += r.total_cost_usd;
      }
      replaceChildren(
        totals,
        h("span", {}, h("b", {}, fmt.int(ops)), " operations"),
        h("span", {}, h("b", {}, ops ? fmt.pct((ok / ops) * 100) : "—"), " success"),
        h("span", {}, h("b", {}, fmt.usd(cost)), " cost"),
        h("span", { class: "muted" }, `${rows.length} ${g} buckets`),
      );
      const labels = rows.map((r) => bucketLabel(r.timestamp, g));
      const datasets = [
        {
          label: "Success rate (%)",
          data: rows.map((r) => r.success_rate),
          borderColor: COLORS.success,
          backgroundColor: COLORS.success + "22",
          yAxisID: "yRate",
        },
        {
          label: "Avg execution time (ms)",
          data: rows.map((r) => r.avg_execution_time_ms),
          borderColor: COLORS.time,
          backgroundColor: COLORS.time + "22",
          yAxisID: "yTime",
        },
        {
          label: "Cost (USD)",
          data: rows.map((r) => r.total_cost_usd),
          borderColor: COLORS.cost,
          backgroundColor: COLORS.cost + "2e",
          maxBarThickness: 18,
          yAxisID: "yCost",
          type: "bar",
          borderWidth: 0,
          borderRadius: 3,
          order: 10,
        },
      ];
      if (chart) {
        chart.data.labels = labels;
        chart.data.datasets.forEach((ds, i) => (ds.data = datasets[i].data));
        chart.update("none");
        return;
      }
      if (!window.Chart) {
        replaceChildren(el, h("p", { class: "empty" }, "The chart library did not load."));
        return;
      }
      const narrow = window.matchMedia("(max-width: 640px)").matches;
      chart = new Chart(canvas, {
        type: "line",
        data: { labels, datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          spanGaps: true,
          interaction: { mode: "index", intersect: false },
          elements: { point: { radius: 0, hoverRadius: 4 }, line: { tension: 0.3, borderWidth: 2 } },
          plugins: {
            legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8, color: COLORS.text } },
            tooltip: {
              callbacks: {
                label: (ctx) => {
                  const v = ctx.parsed.y;
                  if (ctx.dataset.yAxisID === "yRate") return ` Success rate: ${fmt.pct(v)}`;
                  if (ctx.dataset.yAxisID === "yTime") return ` Avg time: ${fmt.ms(v)}`;
                  return ` Cost: ${fmt.usd(v)}`;
                },
              },
            },
          },
          scales: {
            x: { grid: { display: false }, ticks: { color: COLORS.text, maxRotation: 0, autoSkipPadding: 12 } },
            yRate: {
              position: "left",
              suggestedMin: 80,
              max: 100,
              grid: { color: COLORS.grid },
              ticks: { color: COLORS.success, callback: (v) => v + "%" },
            },
            yTime: {
              position: "right",
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              ticks: { color: COLORS.time, callback: (v) => (v >= 1000 ? v / 1000 + "s" : v + "ms") },
            },
            yCost: {
              position: "right",
              beginAtZero: true,
              display: !narrow,
              grid: { drawOnChartArea: false },
              ticks: { color: COLORS.cost, callback: (v) => "$" + v },
            },
          },
        },
      });
      panel.charts.push(chart);
    },
  });
  const destroy = panel.destroy.bind(panel);
  panel.destroy = () => {
    destroy();
    chart = null;
  };
  return panel;
}

// ---------------------------------------------------------------- summary cards

function card(key, label, value, sub, tone) {
  return h(
    "div",
    { class: "card" + (tone ? " card-" + tone : ""), dataset: { testid: "card-" + key } },
    h("div", { class: "card-label" }, label),
    h("div", { class: "card-value" }, value),
    h("div", { class: "card-sub" }, sub || "\u00a0"),
  );
}

function summaryPanel() {
  return new Panel({
    className: "panel-cards",
    paths: () => ["/metrics/summary"],
    render: ([body], el) => {
      const d = body.data;
      const day = d.last_24h;
      const month = d.last_30d_summary;
      replaceChildren(
        el,
        h(
          "div",
          { class: "cards" },
          card("total_operations", "Operations · 24h", fmt.int(day.total_operations), `${fmt.int(day.failed_operations)} failed · ${fmt.int(month.total_operations)} in 30d`),
          card(
            "success_rate",
            "Success · 24h",
            fmt.pct(day.success_rate),
            `30d: ${fmt.pct(month.avg_success_rate)}`,
            isNum(day.success_rate) && day.success_rate < 90 ? "bad" : "good",
          ),
          card("total_cost_usd", "Cost · 24h", fmt.usd4(day.total_cost_usd), `30d: ${fmt.usd2(month.total_cost_usd)}`),
          card("avg_quality_score", "Quality · 24h", fmt.num2(day.avg_quality_score), `avg time ${fmt.ms(day.avg_execution_time_ms)}`),
          card("active_alerts", "Active alerts", fmt.int(d.active_alerts), h("a", { href: "#/alerts" }, "Review alerts →"), d.active_alerts > 0 ? "alert" : "good"),
          card("pending_recommendations", "Recommendations", fmt.int(d.pending_recommendations), "pending, cost", d.pending_recommendations > 0 ? "warn" : null),
        ),
      );
      document.body.dataset.ready = "1";
    },
  });
}

// ---------------------------------------------------------------- alerts

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

/** The alert list with filters; `fixed` pins filters (e.g. an agent's page). */
function alertsPanel({ title = "Alerts", fixed = {}, limit = 25, showFilters = true, id = "alerts", more = null } = {}) {
  const filters = { status: "open", severity: "", type: "", agent_id: "", ...fixed };
  const select = (name, label, options) =>
    h(
      "label",
      { class: "filter" },
      h("span", {}, label),
      h(
        "select",
        {
          name,
          onchange: (ev) => {
            filters[name] = ev.target.value;
            panel.refresh(true);
          },
        },
        options.map(([value, text]) => h("option", { value, selected: filters[name] === value }, text)),
      ),
    );
  let agentSelect = null;
  const controls = [];
  if (showFilters) {
    controls.push(
      select("status", "Status", [["open", "Open"], ["active", "Active"], ["acknowledged", "Acknowledged"], ["resolved", "Resolved"], ["", "All"]]),
      select("severity", "Severity", [["", "All"], ["critical", "Critical"], ["warning", "Warning"], ["info", "Info"]]),
      select("type", "Type", [["", "All"], ["budget_overrun", "Budget"], ["budget_forecast", "Forecast"], ["performance_degradation", "Degradation"], ["outlier", "Outlier"]]),
    );
    if (!("agent_id" in fixed)) {
      agentSelect = select("agent_id", "Agent", [["", "All"]]);
      controls.push(agentSelect);
    }
  }
  // Open alerts are shown most severe first, so ask for enough of them to sort.
  const pathFor = (status) => {
    const q = new URLSearchParams({ limit: String(Math.max(limit, 200)) });
    if (status) q.set("status", status);
    for (const k of ["severity", "type", "agent_id"]) if (filters[k]) q.set(k, filters[k]);
    return "/metrics/alerts?" + q.toString();
  };
  const panel = new Panel({
    title,
    id,
    className: "panel-alerts",
    controls: showFilters ? h("div", { class: "filters" }, controls) : null,
    paths: () => (filters.status === "open" ? [pathFor("active"), pathFor("acknowledged")] : [pathFor(filters.status)]),
    render: (bodies, el) => {
      if (agentSelect) {
        const s = agentSelect.querySelector("select");
        if (s.options.length !== fleet.agents.length + 1) {
          replaceChildren(s, h("option", { value: "" }, "All"), fleet.agents.map((a) => h("option", { value: String(a.id), selected: filters.agent_id === String(a.id) }, a.name)));
        }
      }
      let alerts = bodies.flatMap((b) => b.data);
      const total = bodies.reduce((n, b) => n + b.count, 0);
      const bySeverity = filters.status !== "resolved" && filters.status !== "";
      alerts.sort(
        (a, b) =>
          (bySeverity ? SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] : 0) ||
          (a.detected_at < b.detected_at ? 1 : a.detected_at > b.detected_at ? -1 : b.id - a.id),
      );
      alerts = alerts.slice(0, limit);
      if (alerts.length === 0) {
        replaceChildren(el, h("p", { class: "empty" }, "No alerts match these filters."));
        return;
      }
      replaceChildren(
        el,
        h(
          "p",
          { class: "muted small list-count" },
          total > alerts.length ? `Showing ${alerts.length} of ${total}` : `${total} alert${total === 1 ? "" : "s"}`,
          more && total > alerts.length ? h("a", { href: more }, "View all →") : null,
        ),
        h("ul", { class: "alert-list" }, alerts.map((a) => alertRow(a, () => refreshAll()))),
      );
    },
  });
  return panel;
}

/** Whose budget a role or fleet budget alert is about (its agent is the one that crossed it). */
function budgetScopeTag(alert) {
  if (alert.budget_scope === "role" && alert.budget_role) {
    return h("a", { class: "chip scope-tag", href: `#/role/${encodeURIComponent(alert.budget_role)}`, dataset: { testid: "budget-scope" } }, `role ${alert.budget_role}`);
  }
  if (alert.budget_scope === "fleet") return h("a", { class: "chip scope-tag", href: "#/", dataset: { testid: "budget-scope" } }, "fleet");
  return null;
}

function alertRow(alert, onChange) {
  const busy = (row, on) => row.querySelectorAll("button").forEach((b) => (b.disabled = on));
  const act = (action) => async (ev) => {
    const row = ev.currentTarget.closest(".alert");
    busy(row, true);
    try {
      const body = await api.put(`/metrics/alerts/${alert.id}/${action}`, { by: "dashboard" });
      const status = row.querySelector(".alert-status");
      status.textContent = body.data.status;
      status.className = "alert-status status-" + body.data.status;
      row.dataset.status = body.data.status;
      toast(`Alert #${alert.id} ${body.data.status}.`, "ok");
      onChange();
    } catch (e) {
      busy(row, false);
      toast(`Could not ${action} alert #${alert.id}: ${e.message}`);
    }
  };
  const actions = h("div", { class: "alert-actions" });
  if (alert.status === "active") {
    actions.append(h("button", { type: "button", class: "btn", dataset: { action: "acknowledge" }, onclick: act("acknowledge") }, "Acknowledge"));
  }
  if (alert.status !== "resolved") {
    actions.append(h("button", { type: "button", class: "btn btn-ghost", dataset: { action: "resolve" }, onclick: act("resolve") }, "Resolve"));
  }
  const detail = [];
  if (alert.type === "budget_overrun") {
    detail.push(`${fmt.usd2(alert.current_value)} of ${fmt.usd2(alert.expected_value)}`);
    if (isNum(alert.threshold_percent)) detail.push(`threshold ${thresholdText(alert.threshold_percent)}`);
    if (alert.period_start) detail.push(`period from ${alert.period_start.slice(0, 10)}`);
  } else if (alert.type === "budget_forecast") {
    detail.push(`projected ${fmt.usd2(alert.current_value)} of ${fmt.usd2(alert.expected_value)}`);
    if (alert.period_end) detail.push(`period to ${alert.period_end.slice(0, 10)}`);
  } else if (isNum(alert.deviation_percent)) {
    detail.push(`${alert.deviation_percent > 0 ? "+" : ""}${nf1.format(alert.deviation_percent)}% vs expected`);
  }
  return h(
    "li",
    { class: `alert sev-${alert.severity}`, dataset: { alertId: String(alert.id), status: alert.status } },
    h("div", { class: "alert-sev" }, h("span", { class: `badge badge-${alert.severity}` }, alert.severity)),
    h(
      "div",
      { class: "alert-main" },
      h("div", { class: "alert-message" }, alert.message),
      h(
        "div",
        { class: "alert-meta" },
        budgetScopeTag(alert),
        agentLink(alert.agent_name, alert.agent_id),
        h("span", {}, fmt.label(alert.type)),
        h("span", {}, timeEl(alert.detected_at)),
        detail.length ? h("span", {}, detail.join(" · ")) : null,
        h("span", { class: "muted" }, `#${alert.id}`),
      ),
    ),
    h("div", { class: "alert-side" }, h("span", { class: `alert-status status-${alert.status}` }, alert.status), actions),
  );
}

// ---------------------------------------------------------------- recommendations

const REC_LABEL = {
  pause_agent: "Pause agent",
  review_agent: "Review agent",
  reduce_budget: "Reduce budget",
  increase_capacity: "Increase capacity",
};

function recommendationsPanel() {
  return new Panel({
    title: "Cost recommendations",
    id: "recommendations",
    className: "panel-recs",
    paths: () => ["/metrics/recommendations/cost"],
    render: ([body], el) => {
      const recs = body.data;
      replaceChildren(
        el,
        h(
          "div",
          { class: "savings", dataset: { testid: "total-savings" } },
          h("span", { class: "savings-label" }, "Total potential savings"),
          h("span", { class: "savings-value" }, fmt.usd2(body.total_potential_savings)),
          h("span", { class: "muted small" }, `${body.count} recommendation${body.count === 1 ? "" : "s"}`),
        ),
        recs.length === 0
          ? h("p", { class: "empty" }, "No recommendations: every budget fits its agent.")
          : h(
              "ul",
              { class: "rec-list" },
              recs.map((r) =>
                h(
                  "li",
                  { class: `rec prio-${r.priority}` },
                  h(
                    "div",
                    { class: "rec-head" },
                    h("span", { class: `badge badge-prio-${r.priority}` }, r.priority),
                    h("strong", {}, REC_LABEL[r.type] || fmt.label(r.type)),
                    h("span", { class: "muted" }, "·"),
                    agentLink(r.agent, r.agent_id),
                  ),
                  h("p", { class: "rec-reason" }, r.reason),
                  h(
                    "div",
                    { class: "rec-numbers" },
                    h("span", {}, "Budget ", h("b", {}, fmt.usd2(r.current_budget)), " → ", h("b", {}, fmt.usd2(r.recommended_budget))),
                    r.estimated_savings > 0 ? h("span", { class: "save" }, "saves ", fmt.usd2(r.estimated_savings)) : null,
                  ),
                ),
              ),
            ),
      );
    },
  });
}

// ---------------------------------------------------------------- insights

function insightsPanel() {
  const block = (title, content) => h("div", { class: "insight" }, h("h3", {}, title), content);
  return new Panel({
    title: "Performance insights · 30 days",
    id: "insights",
    className: "panel-insights",
    wide: true,
    paths: () => ["/metrics/insights/performance"],
    render: ([body], el) => {
      const d = body.data;
      const fastest = Object.entries(d.fastest_agents_by_operation);
      const maxHour = Math.max(1, ...d.peak_performance_hours.map((p) => p.avg_time_ms));
      replaceChildren(
        el,
        h(
          "div",
          { class: "insights" },
          block(
            "Fastest agent by operation",
            fastest.length
              ? h("table", { class: "table compact" }, h("tbody", {}, fastest.map(([op, v]) => h("tr", {}, h("td", {}, h("code", {}, op)), h("td", {}, agentLink(v.agent)), h("td", { class: "num" }, fmt.ms(v.avg_time_ms))))))
              : h("p", { class: "empty" }, "Not enough operations yet."),
          ),
          block(
            "Cheapest per task",
            h("ol", { class: "rank" }, d.most_cost_efficient.map((v) => h("li", {}, agentLink(v.agent), h("span", { class: "num" }, fmt.usd4(v.cost_per_task_usd))))),
          ),
          block(
            "Highest quality",
            h("ol", { class: "rank" }, d.highest_quality.map((v) => h("li", {}, agentLink(v.agent), h("span", { class: "num" }, fmt.num2(v.avg_quality_score))))),
          ),
          block(
            "Fastest hours (UTC)",
            h(
              "ul",
              { class: "bars" },
              d.peak_performance_hours.map((p) =>
                h(
                  "li",
                  {},
                  h("span", { class: "bar-label" }, String(p.hour).padStart(2, "0") + ":00"),
                  h("span", { class: "bar" }, h("span", { style: `width:${Math.max(4, (p.avg_time_ms / maxHour) * 100)}%` })),
                  h("span", { class: "num" }, fmt.ms(p.avg_time_ms)),
                ),
              ),
            ),
          ),
          block(
            "Degrading operations",
            d.degrading_operations.length
              ? h("ul", { class: "plain" }, d.degrading_operations.map((o) => h("li", {}, h("code", {}, o.operation_type), h("span", { class: "badge badge-critical" }, "degrading"), h("div", { class: "muted small" }, `${fmt.slope(o.trend.slope)} ms per day`))))
              : h("p", { class: "ok-text" }, "✓ No operation is getting slower."),
          ),
        ),
      );
    },
  });
}

// ---------------------------------------------------------------- fleet (agents by role)

function fleetPanel({ title = "Agents by role", id = "fleet" } = {}) {
  return new Panel({
    title,
    id,
    className: "panel-fleet",
    wide: true,
    paths: () => fleet.roles.map((r) => `/metrics/aggregate/by-role/${encodeURIComponent(r)}?${chartPrefs.window()}`),
    render: (bodies, el) => {
      if (bodies.length === 0) {
        replaceChildren(el, h("p", { class: "empty" }, "No agents are registered yet. POST /api/v1/agents to add one."));
        return;
      }
      replaceChildren(
        el,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h("thead", {}, h("tr", {}, ["Agent", "Role", "Tasks", "Success", "Avg time", "Cost", "Quality"].map((t, i) => h("th", { class: i > 1 ? "num" : "" }, t)))),
            h(
              "tbody",
              {},
              bodies.flatMap((b) =>
                b.data.agents.map((a) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, agentLink(a.agent_name, a.agent_id)),
                    h("td", {}, roleLink(b.data.role)),
                    h("td", { class: "num" }, fmt.int(a.total_tasks)),
                    h("td", { class: "num" }, fmt.pct(a.success_rate)),
                    h("td", { class: "num" }, fmt.ms(a.avg_execution_time_ms)),
                    h("td", { class: "num" }, fmt.usd(a.total_cost_usd)),
                    h("td", { class: "num" }, fmt.num2(a.avg_quality_score)),
                  ),
                ),
              ),
            ),
          ),
        ),
        h("p", { class: "muted small" }, `Window ${chartPrefs.from} → ${chartPrefs.to} (the chart's date range).`),
      );
    },
  });
}

// ---------------------------------------------------------------- agent page

const TREND_METRICS = [
  ["execution_time", "Execution time", "ms/day"],
  ["cost", "Cost per operation", "$/day"],
  ["success_rate", "Success rate", "pts/day"],
  ["quality_score", "Quality score", "pts/day"],
];

function trendBadge(trend) {
  const tone = { improving: "good", degrading: "critical", stable: "neutral", insufficient_data: "neutral" }[trend] || "neutral";
  return h("span", { class: `badge badge-${tone}`, dataset: { trend } }, fmt.label(trend));
}

function agentHeaderPanel(id) {
  return new Panel({
    className: "panel-cards",
    paths: () => [`/metrics/aggregate/by-agent/${id}?${chartPrefs.window()}`],
    render: ([body], el) => {
      const d = body.data;
      document.title = `${d.agent_name} · Fleet metrics`;
      const heading = document.getElementById("page-title");
      if (heading) replaceChildren(heading, d.agent_name, " ", h("span", { class: "muted id" }, `#${d.agent_id}`));
      const role = document.getElementById("page-role");
      if (role) replaceChildren(role, roleLink(d.agent_role));
      const crumbRole = document.getElementById("crumb-role");
      if (crumbRole) replaceChildren(crumbRole, h("a", { href: `#/role/${encodeURIComponent(d.agent_role)}` }, d.agent_role));
      replaceChildren(
        el,
        h(
          "div",
          { class: "cards" },
          card("tasks", "Tasks", fmt.int(d.tasks.total), `${fmt.int(d.tasks.successful)} ok · ${fmt.int(d.tasks.failed)} failed`),
          card("success_rate", "Success rate", fmt.pct(d.tasks.success_rate), null, isNum(d.tasks.success_rate) && d.tasks.success_rate < 90 ? "bad" : "good"),
          card("avg_execution_time_ms", "Avg time", fmt.ms(d.performance.avg_execution_time_ms), `p50 ${fmt.ms(d.performance.median_execution_time_ms)} · p95 ${fmt.ms(d.performance.p95_execution_time_ms)}`),
          card("cost", "Cost", fmt.usd(d.cost.total_usd), `${fmt.usd4(d.cost.avg_per_task_usd)} per task`),
          card("tokens", "Tokens", fmt.int(d.performance.total_tokens), `${fmt.num2(d.performance.avg_tokens_per_task)} per task`),
          card("quality", "Avg quality", fmt.num2(d.quality.avg_score), `min ${fmt.num2(d.quality.min_score)} · max ${fmt.num2(d.quality.max_score)}`),
        ),
      );
    },
  });
}

// ---------------------------------------------------------------- budgets (agent, role, fleet)

const BUDGET_TONE = { ok: "#16a34a", warning: "#d97706", critical: "#dc2626" };
const nfT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const thresholdText = (t) => nfT.format(t) + "%";
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

/** Where a utilization percentage sits on the half-doughnut, in CSS degrees (0 = pointing
 *  right, clockwise): 0 % at the left end, 50 % at the top, 100 % at the right end. */
const gaugeAngle = (percent) => 180 + 1.8 * clamp(percent, 0, 100);

/**
 * Puts the threshold marks (DOM elements over the canvas, so they can be titled and tested)
 * where Chart.js drew the arc: the arc's centre and radii become CSS variables of the mark layer,
 * each mark rotates by its own angle. Runs after every draw, so resizes follow.
 */
const thresholdMarksPlugin = {
  id: "thresholdMarks",
  afterDraw(chart) {
    const layer = chart.canvas.parentNode && chart.canvas.parentNode.querySelector(".threshold-marks");
    const arc = chart.getDatasetMeta(0).data[0];
    if (!layer || !arc) return;
    const { x, y, innerRadius, outerRadius } = arc.getProps(["x", "y", "innerRadius", "outerRadius"], true);
    if (![x, y, innerRadius, outerRadius].every(isNum)) return;
    layer.style.setProperty("--cx", x + "px");
    layer.style.setProperty("--cy", y + "px");
    layer.style.setProperty("--ri", innerRadius + "px");
    layer.style.setProperty("--ro", outerRadius + "px");
    layer.classList.add("placed");
  },
};

/** What a threshold does: the budget's warning or critical level, or an alert of its own. */
function thresholdKind(b, t) {
  if (t === b.critical_threshold_percent) return "critical";
  if (t === b.warning_threshold_percent) return "warning";
  return "info";
}

/** The forecast line of a budget: projected spend and utilization, when it runs out. */
function budgetForecast(b) {
  const f = b.forecast;
  if (!f) return h("dd", { dataset: { testid: "budget-forecast" } }, h("span", { class: "muted" }, b.period === "total" ? "no forecast (total budget)" : "no forecast"));
  const pu = f.projected_utilization_percent;
  const over = isNum(pu) && pu >= 100;
  let runsOut = null;
  if (f.exhausted_at) {
    const past = new Date(f.exhausted_at).getTime() <= Date.now();
    runsOut = h("div", { class: "forecast-out", dataset: { testid: "forecast-exhausted" } }, past ? "ran out " : "runs out ", h("time", { datetime: f.exhausted_at }, fmtTime(f.exhausted_at)));
  }
  return h(
    "dd",
    { class: "forecast" + (over ? " forecast-over" : ""), dataset: { testid: "budget-forecast" } },
    h("div", {}, h("b", { dataset: { testid: "forecast-spend" } }, fmt.usd2(f.projected_spend_usd)), " by the period's end · ", h("b", { dataset: { testid: "forecast-utilization" } }, fmt.pct(pu))),
    runsOut,
    h("div", { class: "muted small" }, `at ${fmt.usd4(f.spend_rate_usd_per_hour)}/h`, b.forecast_alert ? " · alerts when projected ≥ 100%" : ""),
  );
}

/**
 * A budget's status as a half-doughnut gauge (agent, role or fleet budget): used in the budget's
 * status colour, the forecast to the period's end in a lighter shade, a mark at each threshold
 * up to 100 % (higher ones are listed only), and the numbers beside it. A 404 (no budget) shows
 * `none`, a normal state.
 */
function budgetPanel({ id, title, path, none, hint }) {
  let chart = null;
  const dropChart = (panel) => {
    if (!chart) return;
    chart.destroy();
    panel.charts = panel.charts.filter((c) => c !== chart);
    chart = null;
  };
  const panel = new Panel({
    title,
    id,
    className: "panel-budget",
    paths: () => [path],
    render: ([body], el) => {
      const b = body.data;
      const util = b.utilization_percent;
      const tone = BUDGET_TONE[b.status] || BUDGET_TONE.ok;
      const shown = isNum(util) ? clamp(util, 0, 100) : b.used_usd > 0 ? 100 : 0;
      const f = b.forecast;
      const projected = f && isNum(f.projected_utilization_percent) ? clamp(f.projected_utilization_percent, shown, 100) : shown;
      const thresholds = (b.thresholds || []).filter(isNum);
      const onArc = thresholds.filter((t) => t >= 0 && t <= 100);
      // A label for each mark, unless it would touch the one before.
      let lastLabel = -Infinity;
      const marks = onArc.map((t) => {
        const kind = thresholdKind(b, t);
        const crossed = isNum(util) && util >= t;
        const label = t - lastLabel >= 12 ? ((lastLabel = t), h("span", { class: "threshold-label", style: `--a:${gaugeAngle(t)}deg`, "aria-hidden": "true" }, nfT.format(t))) : null;
        return [
          h("span", {
            class: `threshold-mark mark-${kind}${crossed ? " crossed" : ""}`,
            style: `--a:${gaugeAngle(t)}deg`,
            role: "img",
            title: `threshold ${thresholdText(t)}${kind === "info" ? "" : ` (${kind})`}${crossed ? ", crossed" : ""}`,
            "aria-label": `threshold ${thresholdText(t)}`,
            dataset: { testid: "threshold-mark", threshold: String(t) },
          }),
          label,
        ];
      });
      const canvas = h("canvas", {
        "aria-label": `Budget utilization ${fmt.pct(util)}` + (onArc.length ? `, thresholds ${onArc.map(thresholdText).join(", ")}` : ""),
        role: "img",
      });
      const period = b.period === "total" ? "all time" : `${b.period} · ${b.period_start.slice(0, 10)} → ${b.period_end.slice(0, 10)}`;
      const thresholdList = thresholds.length
        ? thresholds.map((t, i) => {
            const kind = thresholdKind(b, t);
            return [
              i ? h("span", { class: "muted" }, " · ") : null,
              h(
                "span",
                { class: `thr thr-${kind}`, title: t > 100 ? "above 100%: not on the gauge" : null },
                thresholdText(t),
                kind === "info" ? null : h("span", { class: "thr-kind" }, " " + kind),
                t > 100 ? h("span", { class: "muted" }, " (off the gauge)") : null,
              ),
            ];
          })
        : `warning ${thresholdText(b.warning_threshold_percent)} · critical ${thresholdText(b.critical_threshold_percent)}`;
      dropChart(panel);
      replaceChildren(
        el,
        h(
          "div",
          { class: "gauge" },
          h(
            "div",
            { class: "gauge-box" },
            canvas,
            h("div", { class: "threshold-marks" }, marks),
            h("div", { class: "gauge-value", dataset: { testid: "budget-utilization" } }, h("b", { style: `color:${tone}` }, fmt.pct1(util)), h("span", {}, "used")),
          ),
          h(
            "dl",
            { class: "kv" },
            h("dt", {}, "Status"),
            h(
              "dd",
              { class: "badges" },
              h("span", { class: `badge badge-budget-${b.status}` }, b.status),
              b.hard ? h("span", { class: "badge badge-hard", title: "A hard budget: once used up, its agents' allowance says no", dataset: { testid: "budget-hard" } }, "hard limit") : null,
            ),
            h("dt", {}, "Used"),
            h("dd", {}, `${fmt.usd(b.used_usd)} of ${fmt.usd2(b.total_budget_usd)}`),
            h("dt", {}, "Remaining"),
            h("dd", { class: b.remaining_usd < 0 ? "neg" : "" }, fmt.usd(b.remaining_usd)),
            h("dt", {}, "Thresholds"),
            h("dd", { dataset: { testid: "budget-thresholds" } }, thresholdList),
            h("dt", {}, "Forecast"),
            budgetForecast(b),
            h("dt", {}, "Period"),
            h("dd", {}, period),
          ),
        ),
      );
      if (!window.Chart) return;
      chart = new Chart(canvas, {
        type: "doughnut",
        data: {
          datasets: [
            {
              data: [shown, projected - shown, 100 - projected],
              backgroundColor: [tone, tone + "40", "#e2e8f0"],
              borderWidth: 0,
            },
          ],
        },
        options: {
          rotation: -90,
          circumference: 180,
          cutout: "74%",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          layout: { padding: { top: 6, left: 6, right: 6, bottom: 8 } },
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
        },
        plugins: [thresholdMarksPlugin],
      });
      panel.charts.push(chart);
    },
    // No budget is a normal state, not an error.
    notFound: (el) => {
      dropChart(panel);
      replaceChildren(el, h("p", { class: "empty", dataset: { testid: "no-budget" } }, none), hint ? h("p", { class: "muted small" }, hint) : null);
    },
  });
  const destroy = panel.destroy.bind(panel);
  panel.destroy = () => {
    destroy();
    chart = null;
  };
  return panel;
}

const agentBudgetPanel = (agentID) =>
  budgetPanel({ id: "budget", title: "Budget", path: `/agents/${agentID}/budget`, none: "No budget is set for this agent." });

const roleBudgetPanel = (role) =>
  budgetPanel({
    id: "role-budget",
    title: "Role budget",
    path: `/roles/${encodeURIComponent(role)}/budget`,
    none: `Role ${role} has no budget.`,
    hint: `PUT /api/v1/roles/${role}/budget sets one; it covers the spend of every agent of the role.`,
  });

const fleetBudgetPanel = () =>
  budgetPanel({
    id: "fleet-budget",
    title: "Fleet budget",
    path: "/fleet/budget",
    none: "The fleet has no budget.",
    hint: "PUT /api/v1/fleet/budget sets one; it covers the spend of every agent.",
  });

// ---------------------------------------------------------------- agent page: trends, percentiles

function trendsPanel(id) {
  let lookback = "30";
  const controls = h(
    "label",
    { class: "filter" },
    h("span", {}, "Lookback"),
    h(
      "select",
      { onchange: (ev) => ((lookback = ev.target.value), panel.refresh(true)) },
      ["7", "14", "30", "90"].map((d) => h("option", { value: d, selected: d === lookback }, d + " days")),
    ),
  );
  // as_of at the next minute: includes everything so far, and the answer (which echoes its
  // period) stays the same, so polls get 304, until the minute turns.
  const asOf = () => new Date(Math.ceil(Date.now() / 60000) * 60000).toISOString().replace(".000Z", "Z");
  const panel = new Panel({
    title: "Trends",
    id: "trends",
    className: "panel-trends",
    controls,
    paths: () => TREND_METRICS.map(([m]) => `/metrics/trends/${m}?agent_id=${id}&lookback_days=${lookback}&as_of=${asOf()}`),
    render: (bodies, el) => {
      replaceChildren(
        el,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h("thead", {}, h("tr", {}, h("th", {}, "Metric"), h("th", {}, "Trend"), h("th", { class: "num" }, "Slope"), h("th", { class: "num hide-sm" }, "R²"), h("th", { class: "num" }, "p-value"), h("th", { class: "num hide-sm" }, "Days"))),
            h(
              "tbody",
              {},
              bodies.map((b, i) =>
                h(
                  "tr",
                  { dataset: { metric: b.data.metric } },
                  h("td", {}, TREND_METRICS[i][1]),
                  h("td", {}, trendBadge(b.data.trend)),
                  h("td", { class: "num" }, isNum(b.data.slope) ? [fmt.slope(b.data.slope), h("span", { class: "unit" }, " " + TREND_METRICS[i][2])] : "—"),
                  h("td", { class: "num hide-sm" }, isNum(b.data.r_squared) ? b.data.r_squared.toFixed(4) : "—"),
                  h("td", { class: "num", dataset: { testid: "p-value" } }, fmt.pvalue(b.data.p_value)),
                  h("td", { class: "num hide-sm" }, fmt.int(b.data.data_points)),
                ),
              ),
            ),
          ),
        ),
        h("p", { class: "muted small" }, "Daily means, least squares; a trend is significant when p < 0.05."),
      );
    },
  });
  return panel;
}

const PERCENTILE_METRICS = [
  ["execution_time", "Execution time", fmt.msExact],
  ["cost", "Cost", fmt.usd4],
  ["tokens", "Tokens", fmt.num2],
  ["quality_score", "Quality", fmt.num2],
];

function percentilesPanel(id) {
  return new Panel({
    title: "Percentiles · 30 days",
    id: "percentiles",
    className: "panel-percentiles",
    wide: true,
    paths: () => PERCENTILE_METRICS.map(([m]) => `/metrics/percentiles/${m}?agent_id=${id}`),
    render: (bodies, el) => {
      const cols = ["p50", "p75", "p90", "p95", "p99", "mean", "std_dev", "count"];
      replaceChildren(
        el,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h("thead", {}, h("tr", {}, h("th", {}, "Metric"), cols.map((c) => h("th", { class: "num" }, c === "std_dev" ? "σ" : c)))),
            h(
              "tbody",
              {},
              bodies.map((b, i) =>
                h(
                  "tr",
                  { dataset: { metric: b.metric } },
                  h("td", {}, PERCENTILE_METRICS[i][1]),
                  cols.map((c) => h("td", { class: "num" }, c === "count" ? fmt.int(b.data[c]) : PERCENTILE_METRICS[i][2](b.data[c]))),
                ),
              ),
            ),
          ),
        ),
      );
    },
  });
}

// ---------------------------------------------------------------- role page

function roleSummaryPanel(role) {
  return new Panel({
    className: "panel-cards",
    paths: () => [`/metrics/aggregate/by-role/${encodeURIComponent(role)}?${chartPrefs.window()}`],
    render: ([body], el) => {
      const d = body.data;
      const s = d.summary;
      replaceChildren(
        el,
        h(
          "div",
          { class: "cards cards-4" },
          card("total_agents", "Agents", fmt.int(s.total_agents)),
          card("total_tasks", "Tasks", fmt.int(s.total_tasks), `${chartPrefs.from} → ${chartPrefs.to}`),
          card("total_cost_usd", "Cost", fmt.usd(s.total_cost_usd)),
          card("avg_cost_per_agent", "Cost per agent", fmt.usd(s.avg_cost_per_agent)),
        ),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "table" },
            h("thead", {}, h("tr", {}, ["Agent", "Tasks", "Success", "Avg time", "Cost", "Quality"].map((t, i) => h("th", { class: i ? "num" : "" }, t)))),
            h(
              "tbody",
              {},
              d.agents.map((a) =>
                h(
                  "tr",
                  {},
                  h("td", {}, agentLink(a.agent_name, a.agent_id)),
                  h("td", { class: "num" }, fmt.int(a.total_tasks)),
                  h("td", { class: "num" }, fmt.pct(a.success_rate)),
                  h("td", { class: "num" }, fmt.ms(a.avg_execution_time_ms)),
                  h("td", { class: "num" }, fmt.usd(a.total_cost_usd)),
                  h("td", { class: "num" }, fmt.num2(a.avg_quality_score)),
                ),
              ),
            ),
          ),
        ),
      );
    },
  });
}

// ---------------------------------------------------------------- pages and routing

let current = { panels: [] };

function pageHeader(title, subtitle, crumbs) {
  return h(
    "div",
    { class: "page-head" },
    crumbs ? h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, crumbs) : null,
    h("h1", { id: "page-title" }, title),
    subtitle ? h("div", { class: "page-sub", id: "page-role" }, subtitle) : null,
  );
}

function grid(...panels) {
  return h("div", { class: "grid" }, panels.map((p) => (p instanceof Node ? p : p.el)));
}

/** Panels one above the other in one cell of the grid. */
function stack(...panels) {
  return h("div", { class: "stack" }, panels.map((p) => p.el));
}

const routes = [
  {
    match: /^#?\/?$/,
    nav: "overview",
    build: () => {
      const summary = summaryPanel();
      const chart = timeSeriesPanel("Fleet performance", {});
      const alerts = alertsPanel({ limit: 8, more: "#/alerts" });
      const budget = fleetBudgetPanel();
      const recs = recommendationsPanel();
      const insights = insightsPanel();
      const agents = fleetPanel();
      return {
        title: "Overview",
        panels: [summary, chart, alerts, budget, recs, insights, agents],
        view: [
          pageHeader("Fleet overview", "Last 24 hours at a glance, trends over the selected range"),
          summary.el,
          grid(chart, alerts, stack(budget, recs), insights, agents),
        ],
      };
    },
  },
  {
    match: /^#\/alerts$/,
    nav: "alerts",
    build: () => {
      const alerts = alertsPanel({ title: "All alerts", limit: 200 });
      alerts.el.classList.add("panel-wide");
      return { title: "Alerts", panels: [alerts], view: [pageHeader("Alerts", "Budget overruns, performance degradation and outliers"), grid(alerts)] };
    },
  },
  {
    match: /^#\/fleet$/,
    nav: "fleet",
    build: () => {
      const agents = fleetPanel({ title: "Agents" });
      return { title: "Agents", panels: [agents], view: [pageHeader("Agents", "Every registered agent, grouped by role"), grid(agents)] };
    },
  },
  {
    match: /^#\/agent\/(\d+)$/,
    nav: "fleet",
    build: ([, id]) => {
      const cards = agentHeaderPanel(id);
      const budget = agentBudgetPanel(id);
      const trends = trendsPanel(id);
      const chart = timeSeriesPanel("Performance", { agent_id: id });
      const percentiles = percentilesPanel(id);
      const alerts = alertsPanel({ title: "Alerts of this agent", fixed: { agent_id: id }, limit: 50, id: "agent-alerts" });
      alerts.el.classList.add("panel-wide");
      return {
        title: "Agent",
        panels: [cards, trends, budget, chart, percentiles, alerts],
        view: [
          pageHeader(`Agent #${id}`, "\u00a0", [h("a", { href: "#/" }, "Overview"), h("span", { id: "crumb-role" }), h("span", {}, "agent")]),
          cards.el,
          grid(trends, budget, chart, percentiles, alerts),
        ],
      };
    },
  },
  {
    match: /^#\/role\/(.+)$/,
    nav: "fleet",
    build: ([, raw]) => {
      const role = decodeURIComponent(raw);
      const summary = roleSummaryPanel(role);
      const budget = roleBudgetPanel(role);
      const chart = timeSeriesPanel("Role performance", { role });
      return {
        title: role,
        panels: [summary, budget, chart],
        view: [pageHeader(role, "Role", [h("a", { href: "#/" }, "Overview"), h("span", {}, "role")]), grid(summary, budget, chart)],
      };
    },
  },
];

async function route() {
  const hash = location.hash || "#/";
  for (const panel of current.panels) panel.destroy();
  const app = document.getElementById("app");
  let found = null;
  for (const r of routes) {
    const m = hash.match(r.match);
    if (m) {
      found = { r, m };
      break;
    }
  }
  document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", found && a.dataset.nav === found.r.nav));
  if (!found) {
    current = { panels: [] };
    replaceChildren(app, pageHeader("Not found", "There is no page at " + hash), h("p", {}, h("a", { href: "#/" }, "Back to the overview")));
    return;
  }
  current = found.r.build(found.m);
  document.title = `${current.title} · Fleet metrics`;
  replaceChildren(app, current.view);
  window.scrollTo(0, 0);
  await refreshAll(true);
}

let refreshing = null;
let again = false;
/** Polls the agent list and every panel of the page (once more after a running poll when asked
 *  during one, so a change made meanwhile is not missed). */
async function refreshAll(force = false) {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  const panels = current.panels;
  refreshing = (async () => {
    let ok = true;
    try {
      const agentsChanged = await loadAgents();
      force = force || agentsChanged;
    } catch (e) {
      ok = false;
    }
    const results = await Promise.all(panels.map((p) => p.refresh(force)));
    ok = ok && results.every(Boolean);
    const time = new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    const needsKey = !document.getElementById("auth").hidden;
    live.set(ok, ok ? `Live · updated ${time}` : needsKey ? "API key required" : "Connection problem · retrying");
    document.getElementById("offline").hidden = !api.offline;
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
  if (again) {
    again = false;
    await refreshAll(true);
  }
}

let timer = null;
function startPolling() {
  clearInterval(timer);
  timer = setInterval(() => {
    if (!document.hidden) refreshAll();
  }, POLL_MS);
}

window.addEventListener("hashchange", route);
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) refreshAll();
});
window.addEventListener("DOMContentLoaded", () => {
  document.getElementById("auth").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = ev.currentTarget.querySelector("input");
    auth.key = input.value.trim();
    input.value = "";
    ev.currentTarget.hidden = true;
    api.cache.clear();
    refreshAll(true);
  });
  if (window.Chart) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = COLORS.text;
  }
  route();
  startPolling();
});
