// Number, size and time formatting for the dashboard page.

/** 1234 -> "1,234", 1.5e6 -> "1.5M"; null and non-finite -> "–". */
export function fmtNum(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + 'G';
  if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
  if (a >= 1e4) return (n / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'k';
  if (a >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(a >= 10 ? 1 : 2);
}

/** Bytes as B, KiB, MiB, GiB. */
export function fmtBytes(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return (u === 0 ? String(Math.round(v)) : v.toFixed(Math.abs(v) >= 100 ? 0 : 1)) + ' ' + units[u];
}

/** Milliseconds as "850 ms" or "1.25 s". */
export function fmtMs(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) < 1000) return (Math.abs(ms) < 10 ? ms.toFixed(1) : String(Math.round(ms))) + ' ms';
  return (ms / 1000).toFixed(2) + ' s';
}

/** A long span as "2h 03m 04s", "3m 04s" or "4.2 s". */
export function fmtSpan(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return (ms / 1000).toFixed(1) + ' s';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x) => String(x).padStart(2, '0');
  return h > 0 ? h + 'h ' + pad(m) + 'm ' + pad(s % 60) + 's' : m + 'm ' + pad(s % 60) + 's';
}

/** An ISO timestamp as local "YYYY-MM-DD HH:MM:SS". */
export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const pad = (x) => String(x).padStart(2, '0');
  return (
    d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds())
  );
}

/** Seconds as "12 s", "3.5 min", "2.0 h", "4.1 d". */
export function fmtSeconds(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  const a = Math.abs(s);
  if (s === 0) return '0 s';
  if (a < 120) return (a < 10 || (a < 100 && !Number.isInteger(s)) ? s.toFixed(1) : String(Math.round(s))) + ' s';
  if (a < 7200) return (s / 60).toFixed(1) + ' min';
  if (a < 172800) return (s / 3600).toFixed(1) + ' h';
  return (s / 86400).toFixed(1) + ' d';
}
