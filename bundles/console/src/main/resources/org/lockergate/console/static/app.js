// LockerGate operator console: plain ES module, no build step, no CDN (gateways may be offline).
// Data comes from the REST API under /api/v1 and live changes from the SSE stream /api/v1/stream.
import { MESSAGES } from './messages.js';
import { barChart, pairedBars } from './charts.js';

const API = '/api/v1';
const LANG_KEY = 'lockergate.lang';
const STATES = ['FREE', 'RESERVED', 'OPENING', 'OCCUPIED', 'FAULT', 'DISABLED'];
const PARCEL_STATES = ['RESERVED', 'DEPOSITED', 'OVERDUE', 'RECALL_DUE', 'HELD', 'RECALLED', 'PICKED_UP',
  'REJECTED', 'RETURNED', 'CANCELLED'];

const session = { token: null, csrf: null, user: null, roles: [], company: null };
const model = { groups: new Map(), cabinets: new Map(), compartments: new Map(), alarms: new Map() };
let paths = null; // the API's paths from openapi.json: the console adapts to what this gateway serves
let lang = localStorage.getItem(LANG_KEY) || 'zh-CN';
let stream = null;

const $ = (id) => document.getElementById(id);
const t = (key) => (MESSAGES[lang] && MESSAGES[lang][key]) || MESSAGES['zh-CN'][key] || key;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// ---------- language ----------

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  $('lang-switch').textContent = t('lang.other');
  renderLegend();
  renderGrid();
  renderAlarms();
  if (session.user) showView(currentView());
}

function switchLanguage() {
  lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem(LANG_KEY, lang);
  applyLanguage();
}

// ---------- API ----------

async function discover() {
  if (paths) return paths;
  try {
    const res = await fetch(API + '/openapi.json', { credentials: 'same-origin' });
    paths = new Set(Object.keys((await res.json()).paths || {}));
  } catch (e) {
    paths = new Set();
  }
  return paths;
}

const has = (path) => paths && paths.has(path);

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || String(status));
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  headers['Accept-Language'] = lang;
  let res;
  try {
    res = await fetch(API + path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { message: t('error.network') });
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (res.status === 401 && session.user && !path.includes('login')) signedOut();
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** A list answer, paged ({items: [...]}) or not. */
const rows = (answer) => Array.isArray(answer) ? answer
  : (answer && (answer.items || answer.data || answer.rows || answer.content || answer.results)) || [];

/** The first field present, for answers whose names differ between gateway versions. */
const pick = (obj, ...names) => { for (const n of names) if (obj && obj[n] !== undefined && obj[n] !== null) return obj[n]; return ''; };

function showError(e) {
  const msg = e.status === 403 ? t('error.forbidden') : (e.body && e.body.message) || t('error.generic');
  $('message').textContent = msg;
  setTimeout(() => { if ($('message').textContent === msg) $('message').textContent = ''; }, 8000);
}

// ---------- login / session ----------

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  await discover();
  const user = $('login-user').value.trim();
  const password = $('login-password').value;
  const path = has('/login') ? '/login' : '/auth/login';
  try {
    const answer = await api('POST', path, { user, username: user, password });
    $('login-password').value = '';
    adopt(answer, user);
    if (has('/session')) {
      try { adopt(await api('GET', '/session'), user); } catch (e) { /* the login answer is enough */ }
    }
    signedIn();
  } catch (e) {
    $('login-error').textContent = e.status === 429 ? t('login.locked')
      : e.status === 401 || e.status === 400 ? t('login.failed') : (e.body.message || t('error.generic'));
  }
}

function adopt(answer, fallbackUser) {
  answer = answer || {};
  if (answer.token) session.token = answer.token; // kept in memory only, never in localStorage
  if (answer.csrfToken) session.csrf = answer.csrfToken;
  session.user = answer.user || answer.username || fallbackUser;
  session.roles = answer.roles || session.roles || [];
  session.company = answer.company || null;
}

async function resume() {
  await discover();
  if (!has('/session')) return false;
  try {
    adopt(await api('GET', '/session'));
    return !!session.user;
  } catch (e) {
    return false;
  }
}

async function logout() {
  const path = has('/logout') ? '/logout' : '/auth/logout';
  try { await api('POST', path); } catch (e) { /* signed out either way */ }
  signedOut();
}

function signedIn() {
  $('login-view').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = session.user + (session.company ? ' · ' + session.company : '');
  connectStream(null);
  showView(currentView());
}

function signedOut() {
  Object.assign(session, { token: null, csrf: null, user: null, roles: [], company: null });
  if (stream) stream.abort();
  stream = null;
  setLive(false);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-view').hidden = false;
}

const staff = () => session.roles.some((r) => r === 'admin' || r === 'technician' || r === 'property');

// ---------- live stream (SSE over fetch, so the bearer token can go in a header) ----------

function setLive(on) {
  $('live').className = 'live ' + (on ? 'on' : 'off');
  $('live').dataset.i18n = on ? 'live.on' : 'live.off';
  $('live').textContent = t($('live').dataset.i18n);
}

function connectStream(lastEventId) {
  const controller = new AbortController();
  stream = controller;
  const headers = { Accept: 'text/event-stream' };
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  let last = lastEventId;
  let retry = 3000;
  (async () => {
    try {
      const res = await fetch(API + '/stream', { headers, credentials: 'same-origin', signal: controller.signal });
      if (res.status === 401) { signedOut(); return; }
      if (!res.ok || !res.body) throw new Error('stream ' + res.status);
      setLive(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = { event: 'message', data: [], id: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue; // heartbeat
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') message.event = val;
            else if (field === 'data') message.data.push(val);
            else if (field === 'id') message.id = val;
            else if (field === 'retry') retry = Number(val) || retry;
          }
          if (message.id) last = message.id;
          if (message.data.length) onStreamEvent(message.event, JSON.parse(message.data.join('\n')));
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    setLive(false);
    if (stream === controller && session.user) setTimeout(() => { if (stream === controller) connectStream(last); }, retry);
  })();
}

const key = (groupId, label) => groupId + '/' + label;

/** A management operation (update, rollback, feature install) shown live, whoever started it. */
let operationTimer = null;
function showOperation(op) {
  const box = $('operation');
  const percent = op.percent >= 0 && op.stage === 'DOWNLOADING' ? ` ${op.percent}%` : '';
  box.textContent = `${t('op.' + op.operation)} ${op.target}: ${t('stage.' + op.stage)}${percent} — ${op.message || ''}`;
  box.dataset.stage = op.stage;
  box.hidden = false;
  clearTimeout(operationTimer);
  if (['DONE', 'ROLLED_BACK', 'FAILED'].includes(op.stage)) {
    operationTimer = setTimeout(() => { box.hidden = true; }, 15000);
  }
}

function onStreamEvent(type, data) {
  switch (type) {
    case 'management':
      showOperation(data);
      break;
    case 'snapshot':
      model.groups = new Map((data.groups || []).map((g) => [g.groupId, g]));
      model.cabinets = new Map((data.cabinets || []).map((c) => [c.cabinetId, c]));
      model.compartments = new Map((data.compartments || []).map((c) => [key(c.groupId, c.label), c]));
      model.alarms = new Map((data.alarms || []).map((a) => [String(a.alarmId), a]));
      renderGrid();
      renderAlarms();
      break;
    case 'compartment': {
      const k = key(data.groupId, data.label);
      const known = model.compartments.get(k);
      if (known) {
        known.state = data.state;
        updateCell(known);
      } else {
        model.compartments.set(k, { groupId: data.groupId, cabinetId: data.cabinetId, label: data.label, state: data.state, size: '' });
        renderGrid();
      }
      break;
    }
    case 'alarm': {
      const id = String(data.alarmId);
      const known = model.alarms.get(id) || {};
      const merged = Object.assign({}, known, data.alarm || {}, { alarmId: data.alarmId, type: data.type || known.type });
      if (data.state) merged.lastChange = String(data.state).toLowerCase();
      if (merged.lastChange === 'acknowledged') { merged.acknowledged = true; }
      if (merged.lastChange === 'cleared') { merged.active = false; }
      if (merged.lastChange === 'raised') { merged.active = true; }
      if (!data.alarm && merged.acknowledged && merged.active === false) model.alarms.delete(id);
      else model.alarms.set(id, merged);
      renderAlarms();
      break;
    }
    case 'cabinet':
      model.cabinets.set(data.cabinetId, Object.assign(model.cabinets.get(data.cabinetId) || {}, data));
      renderGrid();
      break;
    case 'registry':
      if (stream) stream.abort();
      connectStream(null); // new groups or cabinets: start over with a snapshot
      break;
    case 'parcel':
      if (currentView() === 'overdue' && ['OVERDUE', 'RECALL_DUE'].includes(data.state)) loadOverdue();
      break;
    default:
  }
}

// ---------- compartment grid ----------

function renderLegend() {
  const legend = $('legend');
  legend.replaceChildren(...STATES.map((s) => el('li', { class: 'cell-mini state-' + s }, t('state.' + s))));
}

function cellText(c) {
  return [el('b', { text: c.label }), el('span', { class: 'size', text: c.size ? t('size.' + c.size) : '' }),
    el('span', { class: 'state', text: t('state.' + c.state) })];
}

function updateCell(c) {
  const cell = document.querySelector(`.cell[data-key="${CSS.escape(key(c.groupId, c.label))}"]`);
  if (!cell) { renderGrid(); return; }
  cell.className = 'cell state-' + c.state;
  cell.dataset.state = c.state;
  cell.title = `${c.cabinetId} ${c.label} · ${t('state.' + c.state)}`;
  cell.replaceChildren(...cellText(c));
  const summary = document.querySelector(`.group[data-group="${CSS.escape(c.groupId)}"] .summary`);
  if (summary) summary.textContent = groupSummary(c.groupId);
}

/** e.g. "g1 — 空闲 20 · 有件 4": the group's compartments counted by state. */
function groupSummary(groupId) {
  const counts = {};
  for (const c of model.compartments.values()) if (c.groupId === groupId) counts[c.state] = (counts[c.state] || 0) + 1;
  const text = STATES.filter((s) => counts[s]).map((s) => `${t('state.' + s)} ${counts[s]}`).join(' · ');
  return ' ' + groupId + (text ? ' — ' + text : '');
}

function renderGrid() {
  const root = $('groups');
  if (!root) return;
  const byGroup = new Map();
  for (const c of model.compartments.values()) {
    if (!byGroup.has(c.groupId)) byGroup.set(c.groupId, new Map());
    const cabs = byGroup.get(c.groupId);
    if (!cabs.has(c.cabinetId)) cabs.set(c.cabinetId, []);
    cabs.get(c.cabinetId).push(c);
  }
  for (const g of model.groups.keys()) if (!byGroup.has(g)) byGroup.set(g, new Map());
  if (byGroup.size === 0) { root.replaceChildren(el('p', { class: 'empty', text: t('grid.empty') })); return; }
  const sections = [];
  for (const [groupId, cabs] of [...byGroup.entries()].sort()) {
    const group = model.groups.get(groupId);
    const section = el('section', { class: 'group', 'data-group': groupId },
      el('h2', {}, (group && group.name) || groupId, el('small', { class: 'summary', text: groupSummary(groupId) })));
    for (const [cabinetId, list] of [...cabs.entries()].sort()) {
      const cab = model.cabinets.get(cabinetId);
      const offline = cab && cab.online === false;
      list.sort((a, b) => String(a.label).localeCompare(String(b.label), undefined, { numeric: true }));
      section.append(el('div', { class: 'cabinet' + (offline ? ' offline' : ''), 'data-cabinet': cabinetId },
        el('h3', { text: `${t('grid.cabinet')} ${cabinetId}${offline ? ' · ' + t('grid.offline') : ''}` }),
        el('div', { class: 'cells' }, ...list.map((c) => el('div', {
          class: 'cell state-' + c.state, 'data-key': key(c.groupId, c.label), 'data-group': c.groupId,
          'data-label': c.label, 'data-state': c.state, title: `${c.cabinetId} ${c.label} · ${t('state.' + c.state)}`,
        }, ...cellText(c))))));
    }
    sections.push(section);
  }
  root.replaceChildren(...sections);
  const groupSelect = $('parcel-group');
  const chosen = groupSelect.value;
  groupSelect.replaceChildren(el('option', { value: '', 'data-i18n': 'parcels.anyGroup', text: t('parcels.anyGroup') }),
    ...[...model.groups.values()].map((g) => el('option', { value: g.groupId, text: g.name || g.groupId })));
  groupSelect.value = chosen;
}

// ---------- alarms ----------

function fmtTime(v) {
  if (!v) return '';
  const d = new Date(v);
  return isNaN(d) ? String(v) : d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

function renderAlarms() {
  const body = $('alarm-rows');
  if (!body) return;
  const list = [...model.alarms.values()].sort((a, b) => String(b.raisedAt || '').localeCompare(String(a.raisedAt || '')));
  const open = list.filter((a) => !a.acknowledged);
  $('alarm-count').textContent = open.length ? String(open.length) : '';
  $('alarms-empty').hidden = list.length > 0;
  body.replaceChildren(...list.map((a) => {
    const where = [a.groupId, a.cabinetId, a.compartment].filter(Boolean).join(' / ') || t('alarms.gateway');
    const state = [a.active === false ? t('alarms.cleared') : t('alarms.active'),
      a.acknowledged ? t('alarms.acknowledged') : null].filter(Boolean).join(' · ');
    const ack = a.acknowledged ? '' : el('button', { type: 'button', class: 'ack', onclick: () => acknowledge(a.alarmId) }, t('alarms.ack'));
    return el('tr', { 'data-alarm-id': a.alarmId, class: a.acknowledged ? 'done' : 'open' },
      el('td', { 'data-label': t('alarms.type'), text: t('alarm.' + a.type) }),
      el('td', { 'data-label': t('alarms.where'), text: where }),
      el('td', { 'data-label': t('alarms.message'), text: a.message || '' }),
      el('td', { 'data-label': t('alarms.raised'), text: fmtTime(a.raisedAt) }),
      el('td', { 'data-label': t('alarms.state'), class: 'alarm-state', text: state }),
      el('td', {}, ack));
  }));
}

/** The acknowledgement path this gateway serves (openapi.json), or null. */
function ackPath(alarmId) {
  const id = encodeURIComponent(alarmId);
  if (has('/alarms/{alarmId}/ack')) return `/alarms/${id}/ack`;
  if (has('/alarms/{alarmId}/acknowledge') || has('/alarms/{id}/acknowledge')) return `/alarms/${id}/acknowledge`;
  return null;
}

async function acknowledge(alarmId) {
  const path = ackPath(alarmId);
  if (!path) {
    showError({ status: 0, body: { message: t('error.unavailable') } });
    return;
  }
  try {
    const answer = await api('POST', path);
    const a = model.alarms.get(String(alarmId));
    if (a) {
      Object.assign(a, answer && typeof answer === 'object' ? answer : {}, { acknowledged: true });
      if (answer && answer.acknowledgedAt) a.acknowledged = true;
    }
    renderAlarms();
  } catch (e) {
    showError(e);
  }
}

async function loadAlarms() {
  if (!has('/alarms')) return; // the stream's snapshot already holds the open alarms
  try {
    for (const a of rows(await api('GET', '/alarms'))) {
      const id = String(a.alarmId ?? a.id);
      model.alarms.set(id, Object.assign(model.alarms.get(id) || {}, a, { alarmId: a.alarmId ?? a.id,
        type: String(a.type || '').toLowerCase(),
        acknowledged: a.acknowledged ?? !!a.acknowledgedAt, active: a.active ?? !a.clearedAt }));
    }
    renderAlarms();
  } catch (e) { showError(e); }
}

// ---------- tables: parcels, overdue, audit, bundles ----------

const PARCEL_COLUMNS = [
  ['col.parcelId', (p) => pick(p, 'parcelId', 'id')],
  ['col.waybill', (p) => pick(p, 'waybill')],
  ['col.company', (p) => pick(p, 'companyCode', 'company')],
  ['col.group', (p) => pick(p, 'groupId', 'group')],
  ['col.compartment', (p) => pick(p, 'compartment', 'label')],
  ['col.state', (p) => t('pstate.' + pick(p, 'state'))],
  ['col.phone', (p) => pick(p, 'phoneMasked', 'phone')],
  ['col.deposited', (p) => fmtTime(pick(p, 'depositedAt', 'reservedAt'))],
];

function table(list, columns, emptyKey, rowClass) {
  if (!list.length) return el('p', { class: 'empty', text: t(emptyKey) });
  return el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, ...columns.map(([k]) => el('th', { text: t(k) })))),
    el('tbody', {}, ...list.map((r) => el('tr', { class: rowClass || null },
      ...columns.map(([k, f]) => el('td', { 'data-label': t(k), text: String(f(r) ?? '') }))))));
}

function unavailable(target) {
  $(target).replaceChildren(el('p', { class: 'empty', text: t('error.unavailable') }));
}

async function searchParcels(event) {
  if (event) event.preventDefault();
  if (!has('/parcels')) { unavailable('parcel-results'); return; }
  const q = $('parcel-q').value.trim();
  const params = new URLSearchParams();
  if ($('parcel-state').value) params.set('state', $('parcel-state').value);
  if ($('parcel-company').value.trim()) params.set('company', $('parcel-company').value.trim());
  if ($('parcel-group').value) params.set('groupId', $('parcel-group').value);
  params.set('limit', '500');
  try {
    let list = rows(await api('GET', '/parcels?' + params));
    if (q) { // the text search runs here, on the newest 500 that match the filters
      const needle = q.toLowerCase();
      list = list.filter((p) => [p.parcelId, p.waybill, p.compartment].some((v) => v && String(v).toLowerCase().includes(needle)));
    }
    $('parcel-results').replaceChildren(table(list, PARCEL_COLUMNS, 'parcels.none', 'parcel'));
  } catch (e) { showError(e); }
}

async function loadOverdue() {
  if (!has('/parcels')) { unavailable('overdue-results'); unavailable('recall-results'); return; }
  try {
    const overdue = rows(await api('GET', '/parcels?state=OVERDUE&limit=500'));
    $('overdue-results').replaceChildren(table(overdue.filter((p) => p.state !== 'RECALL_DUE'), PARCEL_COLUMNS, 'parcels.none', 'parcel'));
    const recall = rows(await api('GET', '/parcels?state=RECALL_DUE&limit=500'));
    $('recall-results').replaceChildren(table(recall.filter((p) => !p.state || p.state === 'RECALL_DUE'), PARCEL_COLUMNS, 'parcels.none', 'parcel'));
  } catch (e) { showError(e); }
}

async function loadAudit(event) {
  if (event) event.preventDefault();
  if (!has('/audit')) { unavailable('audit-rows'); return; }
  const from = $('audit-from').value || isoDay(-7);
  try {
    const list = rows(await api('GET', '/audit?limit=500&from=' + encodeURIComponent(from + 'T00:00:00Z')));
    $('audit-rows').replaceChildren(table(list, [
      ['col.time', (a) => fmtTime(pick(a, 'ts', 'at', 'time', 'timestamp'))],
      ['col.user', (a) => pick(a, 'actor', 'user', 'username', 'by')],
      ['col.action', (a) => pick(a, 'action', 'type', 'event')],
      ['col.detail', (a) => [pick(a, 'target', 'subject'), pick(a, 'detail', 'details')]
        .map((d) => typeof d === 'object' ? JSON.stringify(d) : d).filter(Boolean).join(' · ')],
    ], 'audit.none', 'audit'));
  } catch (e) { showError(e); }
}

async function loadBundles() {
  try {
    const bundles = rows(await api('GET', '/bundles'));
    $('bundle-rows').replaceChildren(table(bundles, [
      ['col.id', (b) => pick(b, 'id', 'bundleId')], ['col.name', (b) => pick(b, 'symbolicName', 'name')],
      ['col.version', (b) => pick(b, 'version')], ['col.state', (b) => pick(b, 'state')],
    ], 'error.unavailable', 'bundle'));
  } catch (e) { showError(e); }
  // installed features come from the management bundle (technician); other roles simply see none
  try {
    const answer = await api('GET', has('/features') ? '/features' : '/management/features');
    const list = rows(answer).length ? rows(answer) : ((answer && answer.installed) || []);
    const features = list.map((f) => typeof f === 'string' ? { name: f, state: 'installed' } : f);
    $('feature-rows').replaceChildren(table(features, [
      ['col.name', (f) => pick(f, 'name', 'id')], ['col.state', (f) => pick(f, 'state', 'installed')],
    ], 'error.unavailable', 'feature'));
  } catch (e) {
    $('feature-rows').replaceChildren(el('p', { class: 'empty', text: e.status === 403 ? t('error.forbidden') : t('error.unavailable') }));
  }
}

// ---------- maintenance: tickets, rounds, repair times ----------

const OPEN_TICKETS = 'OPEN,TAKEN';

async function ticketAction(ticketId, action, body) {
  try {
    await api('POST', `/maintenance/tickets/${encodeURIComponent(ticketId)}/${action}`, body);
    await loadMaintenance();
  } catch (e) { showError(e); }
}

function ticketRow(tk) {
  const where = [tk.groupId, tk.cabinetId, tk.compartment].filter(Boolean).join(' / ');
  const resolution = el('input', { class: 'resolution', type: 'text', placeholder: t('tickets.resolution') });
  const take = el('button', { type: 'button', class: 'take', text: t('tickets.take') });
  take.addEventListener('click', () => ticketAction(tk.ticketId, 'take'));
  const close = el('button', { type: 'button', class: 'close', text: t('tickets.close') });
  close.addEventListener('click', () => {
    const text = resolution.value.trim();
    if (!text) { showError({ status: 0, body: { message: t('tickets.resolution') } }); return; }
    ticketAction(tk.ticketId, 'close', { resolution: text, enableCompartment: !!tk.compartment });
  });
  const cells = [
    ['col.fault', t('alarm.' + tk.fault) !== 'alarm.' + tk.fault ? t('alarm.' + tk.fault) : tk.fault],
    ['alarms.where', where], ['col.state', t('tstate.' + tk.state)], ['col.opened', fmtTime(tk.openedAt)],
    ['col.takenBy', tk.takenBy || ''],
  ].map(([k, v]) => el('td', { 'data-label': t(k), text: String(v ?? '') }));
  const actions = el('td', { class: 'actions' });
  if (tk.state === 'OPEN') actions.append(take);
  actions.append(resolution, close);
  return el('tr', { class: 'ticket', 'data-ticket-id': String(tk.ticketId), 'data-state': tk.state }, ...cells, actions);
}

async function loadMaintenance() {
  if (!has('/maintenance/tickets')) {
    ['ticket-rows', 'round-rows', 'repair-rows'].forEach(unavailable);
    return;
  }
  try {
    const tickets = rows(await api('GET', '/maintenance/tickets?state=' + OPEN_TICKETS));
    $('ticket-rows').replaceChildren(!tickets.length ? el('p', { class: 'empty', text: t('tickets.none') })
      : el('table', { class: 'list' },
        el('thead', {}, el('tr', {}, ...['col.fault', 'alarms.where', 'col.state', 'col.opened', 'col.takenBy', 'col.action']
          .map((k) => el('th', { text: t(k) })))),
        el('tbody', {}, ...tickets.map(ticketRow))));
    const now = Date.now();
    const rounds = rows(await api('GET', '/maintenance/inspections'));
    $('round-rows').replaceChildren(table(rounds, [
      ['col.group', (r) => r.groupId], ['col.round', (r) => r.name || r.kind],
      ['rounds.due', (r) => fmtTime(r.dueAt)],
      ['col.state', (r) => r.completedAt ? t('rounds.done') : (Date.parse(r.overdueAt) <= now ? t('rounds.overdue') : t('rounds.pending'))],
      ['col.checklist', (r) => (r.checklist || []).join('、')],
    ], 'rounds.none', 'round'));
    const repair = await api('GET', `/maintenance/repair-times?from=${isoDay(-30)}&to=${isoDay(0)}`);
    const fmtMinutes = (s) => (Math.round((s || 0) / 6) / 10).toString();
    $('repair-rows').replaceChildren(table([...(repair.byVendor || []).map((r) => ({ ...r, by: t('col.vendor') })),
      ...(repair.byGroup || []).map((r) => ({ ...r, by: t('col.group') }))], [
      ['col.by', (r) => r.by], ['col.name', (r) => r.key], ['col.closedTickets', (r) => r.closedTickets],
      ['col.meanRepair', (r) => fmtMinutes(r.meanSeconds)], ['col.maxRepair', (r) => fmtMinutes(r.maxSeconds)],
    ], 'repair.none', 'repair'));
  } catch (e) { showError(e); }
}

// ---------- statistics ----------

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return d.toISOString().slice(0, 10);
}

async function loadStats(event) {
  if (event) event.preventDefault();
  if (!$('stats-from').value) $('stats-from').value = isoDay(-29);
  // to tomorrow: covers the gateway's day (China time) whatever the browser's time zone
  if (!$('stats-to').value) $('stats-to').value = isoDay(1);
  const from = $('stats-from').value;
  const to = $('stats-to').value;
  try {
    const list = rows(await api('GET', `/statistics?from=${from}&to=${to}`));
    const companies = [...new Set(list.map((r) => r.company || '—'))].sort();
    const days = [...new Set(list.map((r) => String(r.day)))].sort();
    const perDay = days.map((day) => ({ label: day.slice(5),
      values: companies.map((c) => list.filter((r) => String(r.day) === day && (r.company || '—') === c)
        .reduce((s, r) => s + (r.deposits || 0), 0)) }));
    $('chart-deposits').replaceChildren(list.length ? barChart(perDay, companies, { stacked: true }) : el('p', { class: 'empty', text: t('stats.none') }));
    const dwell = companies.map((c) => {
      const mine = list.filter((r) => (r.company || '—') === c);
      const pickups = mine.reduce((s, r) => s + (r.pickups || 0), 0);
      const seconds = mine.reduce((s, r) => s + (r.dwellSeconds || 0), 0);
      return { label: c, values: [pickups ? Math.round(seconds / pickups / 360) / 10 : 0] };
    });
    $('chart-dwell').replaceChildren(list.length ? barChart(dwell, [t('col.dwell')], {}) : el('p', { class: 'empty', text: t('stats.none') }));
    $('stats-table').replaceChildren(table(companies.map((c) => {
      const mine = list.filter((r) => (r.company || '—') === c);
      return { company: c, deposits: mine.reduce((s, r) => s + (r.deposits || 0), 0),
        pickups: mine.reduce((s, r) => s + (r.pickups || 0), 0), dwell: dwell.find((d) => d.label === c).values[0] };
    }), [['col.company', (r) => r.company], ['col.deposits', (r) => r.deposits], ['col.pickups', (r) => r.pickups],
      ['col.dwell', (r) => r.dwell]], 'stats.none', 'stat'));
  } catch (e) { showError(e); }
  try {
    const reports = rows(await api('GET', `/cost-sharing?month=${to.slice(0, 7)}`));
    const shares = new Map();
    for (const report of reports) for (const s of report.shares || []) {
      const cur = shares.get(s.company) || { use: 0, funding: 0, n: 0 };
      cur.use += (s.usePermille || 0) / 10; cur.funding += s.fundingSharePercent || 0; cur.n += 1;
      shares.set(s.company, cur);
    }
    const data = [...shares.entries()].map(([c, s]) => ({ label: c, values: [s.use / s.n, s.funding / s.n] }));
    $('chart-share').replaceChildren(data.length ? pairedBars(data, [t('stats.use'), t('stats.funding')], '%')
      : el('p', { class: 'empty', text: t('stats.none') }));
  } catch (e) {
    $('chart-share').replaceChildren(el('p', { class: 'empty', text: e.status === 403 ? t('error.forbidden') : t('stats.none') }));
  }
}

// ---------- navigation ----------

const VIEWS = ['grid', 'alarms', 'parcels', 'overdue', 'stats', 'bundles', 'maintenance', 'audit'];
const currentView = () => { const v = location.hash.slice(1); return VIEWS.includes(v) ? v : 'grid'; };

function showView(view) {
  $('message').textContent = ''; // a message belongs to the page it was shown on
  for (const v of VIEWS) $('view-' + v).hidden = v !== view;
  for (const a of document.querySelectorAll('nav.tabs a')) a.classList.toggle('active', a.dataset.view === view);
  if (view === 'alarms') loadAlarms();
  else if (view === 'parcels') searchParcels();
  else if (view === 'overdue') loadOverdue();
  else if (view === 'stats') loadStats();
  else if (view === 'bundles') loadBundles();
  else if (view === 'maintenance') loadMaintenance();
  else if (view === 'audit') loadAudit();
}

async function start() {
  $('parcel-state').append(...PARCEL_STATES.map((s) => el('option', { value: s, 'data-i18n': 'pstate.' + s, text: s })));
  $('lang-switch').addEventListener('click', switchLanguage);
  $('logout').addEventListener('click', logout);
  $('login-form').addEventListener('submit', login);
  $('parcel-search').addEventListener('submit', searchParcels);
  $('stats-form').addEventListener('submit', loadStats);
  $('audit-form').addEventListener('submit', loadAudit);
  window.addEventListener('hashchange', () => { if (session.user) showView(currentView()); });
  applyLanguage();
  if (await resume()) signedIn(); else signedOut();
  document.body.dataset.ready = 'true';
}

start();
