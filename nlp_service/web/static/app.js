// nlp_service web pages: cards on hover and focus, sortable tables, CSV copy, JSON download, progress.
// Plain JavaScript, no library: every page also works without it.
(function () {
  "use strict";
  const $ = (s, r) => (r || document).querySelector(s);
  const $$ = (s, r) => Array.from((r || document).querySelectorAll(s));
  const data = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };

  function setupCards() {
    const found = data("findings");
    const card = $("#card");
    if (!found || !card) return;
    const show = (el) => {
      card.replaceChildren();
      for (const id of el.dataset.f.split(" ")) {
        const f = found[id];
        if (!f) continue;
        const h = document.createElement("h3");
        h.textContent = f.kind + "：" + f.text;
        const dl = document.createElement("dl");
        for (const [k, v] of Object.entries(f.fields)) {
          const dt = document.createElement("dt"); dt.textContent = k;
          const dd = document.createElement("dd"); dd.textContent = String(v);
          dl.append(dt, dd);
        }
        card.append(h, dl);
      }
      const r = el.getBoundingClientRect();
      card.style.left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - 350)) + "px";
      card.style.top = (window.scrollY + r.bottom + 6) + "px";
      card.hidden = false;
    };
    const hide = () => { card.hidden = true; };
    for (const el of $$(".hl[data-f]")) {
      el.addEventListener("mouseenter", () => show(el));
      el.addEventListener("focus", () => show(el));
      el.addEventListener("mouseleave", hide);
      el.addEventListener("blur", hide);
    }
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });
  }

  function setupTables() {
    for (const table of $$("table.sortable")) {
      $$("th", table).forEach((th, col) => {
        th.tabIndex = 0;
        th.setAttribute("aria-sort", "none");
        const sort = () => {
          const body = table.tBodies[0];
          const up = th.getAttribute("aria-sort") !== "ascending";
          const key = (tr) => (tr.cells[col] ? tr.cells[col].textContent.trim() : "");
          const rows = Array.from(body.rows).sort((a, b) => {
            const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
            const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, "zh");
            return up ? c : -c;
          });
          $$("th", table).forEach((t) => t.setAttribute("aria-sort", "none"));
          th.setAttribute("aria-sort", up ? "ascending" : "descending");
          body.append(...rows);
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      });
    }
    for (const button of $$(".copy-csv")) {
      button.addEventListener("click", async () => {
        const table = document.getElementById(button.dataset.table);
        const cell = (s) => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
        const csv = $$("tr", table).map((tr) => Array.from(tr.cells).map((c) => cell(c.textContent.trim())).join(",")).join("\n");
        try { await navigator.clipboard.writeText(csv); button.textContent = "已复制"; }
        catch (e) { window.prompt("复制以下 CSV：", csv); }
      });
    }
  }

  function setupDownload() {
    const link = $("#download-json");
    const result = $("#result-json");
    if (!link || !result) return;
    link.href = URL.createObjectURL(new Blob([result.textContent], { type: "application/json" }));
  }

  function setupProgress() {
    const form = $("#analyse-form");
    const out = $("#progress");
    if (form && out) {
      form.addEventListener("submit", () => {
        const t0 = performance.now();
        out.hidden = false;
        const tick = () => { out.textContent = "正在分析… " + ((performance.now() - t0) / 1000).toFixed(1) + " 秒"; };
        tick();
        setInterval(tick, 100);
      });
    }
    const size = $("#upload-size");
    for (const input of $$('input[type="file"]')) {
      input.addEventListener("change", () => {
        if (size && input.files.length) size.textContent = input.files[0].name + "：" + input.files[0].size.toLocaleString() + " 字节";
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => { setupCards(); setupTables(); setupDownload(); setupProgress(); });
})();
