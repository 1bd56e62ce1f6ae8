// Devices (list, add, edit, connections, refresh info, firmware, history of operations) and the
// SSH credentials devices are reached with.
import { API, UPGRADER, ApiError, del, get, getAll, getWithHeaders, patch, post, put } from '../api.js';
import { announce, confirmAction, deleteButton, details, el, field, form, notify, render, section } from '../dom.js';
import { bytes, dateTime, statusLabel } from '../format.js';
import { poll } from '../poll.js';
import { href } from '../router.js';
import { listTable } from '../table.js';
import { optionsFieldset, readOptions } from './options.js';

const DEVICE_FIELDS = [
  ['name', 'Name', { required: true }],
  ['model', 'Model', { hint: 'As in /tmp/sysinfo/model, e.g. TP-Link Archer C7 v5.' }],
  ['board_name', 'Board name', { hint: 'As ubus call system board reports it, e.g. tplink,archer-c7-v5.' }],
  ['management_ip', 'Management address'],
  ['ssh_port', 'SSH port', { kind: 'number', attrs: { min: '1', max: '65535' } }],
  ['group', 'Group'],
  ['location', 'Location'],
];

function deviceFields(device = {}) {
  return DEVICE_FIELDS.map(([name, label, options]) => field(name, label, { ...options, value: device[name] ?? (name === 'ssh_port' ? 22 : '') }));
}

export async function devicesView(ctx) {
  const table = listTable({
    path: `${API}/devices/`,
    caption: 'Devices',
    organization: ctx.organization.slug,
    query: ctx.route.query,
    sync: true,
    orderings: ['name', 'model', 'board_name', 'os', 'management_ip', 'group', 'location', 'created', 'modified'],
    filters: [
      { name: 'name', label: 'Name' },
      { name: 'model', label: 'Model' },
      { name: 'group', label: 'Group' },
      { name: 'location', label: 'Location' },
      { name: 'deactivated', label: 'Active', kind: 'select', options: [['', 'All'], ['false', 'Active'], ['true', 'Deactivated']] },
    ],
    columns: [
      { label: 'Name', field: 'name', render: (d) => el('a', { href: href('device', { id: d.id }), text: d.name }) },
      { label: 'Model', field: 'model', render: (d) => d.model },
      { label: 'Board', field: 'board_name', render: (d) => d.board_name },
      { label: 'OS', field: 'os', render: (d) => d.os },
      { label: 'Address', field: 'management_ip', render: (d) => (d.management_ip ? `${d.management_ip}:${d.ssh_port}` : '') },
      { label: 'Group', field: 'group', render: (d) => d.group },
      { label: 'Location', field: 'location', render: (d) => d.location },
      { label: 'State', render: (d) => (d.deactivated ? 'Deactivated' : 'Active') },
    ],
    empty: 'No devices match.',
  });
  const parts = [table.node];
  if (ctx.canAdmin) {
    parts.push(
      section(
        'Add a device',
        form(deviceFields(), 'Add device', async (values) => {
          const answer = await post(`${API}/devices/`, { ...values, organization: ctx.organization.slug });
          notify(`Device ${values.name} added.`);
          ctx.go(href('device', { id: answer.body.id }));
        }),
      ),
    );
  }
  render('Devices', ...parts);
  await table.reload();
}

function deviceInfo(device) {
  return details([
    ['Model', device.model],
    ['Board', device.board_name],
    ['OS', device.os],
    ['Address', device.management_ip ? `${device.management_ip}:${device.ssh_port}` : ''],
    ['Last address', device.last_ip],
    ['Group', device.group],
    ['Location', device.location],
    ['State', device.deactivated ? 'Deactivated' : 'Active'],
    ['Free memory', device.memory_free_kb === null || device.memory_free_kb === undefined ? '' : bytes(device.memory_free_kb * 1024)],
    ['Info read', device.refreshed_at ? dateTime(device.refreshed_at) : 'never'],
    ['Last refresh error', device.refresh_error || ''],
    ['Host key', device.host_key ? el('code', { className: 'sha', text: device.host_key }) : 'not pinned yet'],
  ]);
}

function connectionsSection(ctx, device, credentials) {
  const names = new Map(credentials.map((c) => [c.id, c.name]));
  const table = listTable({
    path: `${API}/devices/${device.id}/connections/`,
    caption: 'Connections',
    organization: ctx.organization.slug,
    orderings: ['created', 'modified'],
    columns: [
      { label: 'Credentials', render: (c) => names.get(c.credentials) || c.credentials },
      { label: 'Enabled', render: (c) => (c.enabled ? 'Yes' : 'No') },
      { label: 'Working', render: (c) => (c.is_working === null ? 'not tried' : c.is_working ? 'Yes' : 'No') },
      { label: 'Failure', render: (c) => c.failure_reason || '' },
      { label: 'Last attempt', render: (c) => dateTime(c.last_attempt) },
      ...(ctx.canAdmin
        ? [
            {
              label: 'Actions',
              render: (c) =>
                el(
                  'div',
                  { className: 'row-actions' },
                  el('button', {
                    type: 'button',
                    className: 'secondary',
                    text: c.enabled ? 'Disable' : 'Enable',
                    onclick: async () => {
                      try {
                        await patch(`${API}/devices/${device.id}/connections/${c.id}/`, { enabled: !c.enabled });
                        notify(`Connection ${c.enabled ? 'disabled' : 'enabled'}.`);
                        await table.reload();
                      } catch (error) {
                        notify(error.message, 'error');
                      }
                    },
                  }),
                  deleteButton('Delete', `Delete the connection with the credentials “${names.get(c.credentials) || c.credentials}”?`, async () => {
                    await del(`${API}/devices/${device.id}/connections/${c.id}/`);
                    notify('Connection deleted.');
                    await table.reload();
                  }),
                ),
            },
          ]
        : []),
    ],
    empty: 'No connection: add credentials so that fwhub can reach the device.',
  });
  const parts = [table.node];
  if (ctx.canAdmin && credentials.length) {
    parts.push(
      form([field('credentials', 'Credentials', { kind: 'select', options: credentials.map((c) => [c.id, `${c.name} (${c.username})`]) })], 'Add connection', async (values) => {
        await post(`${API}/devices/${device.id}/connections/`, { credentials: values.credentials, enabled: true });
        notify('Connection added.');
        await table.reload();
      }, { label: 'Add a connection' }),
    );
  }
  return { node: section('Connections', ...parts), table };
}

/** The firmware form: a build, then one of its images, the sysupgrade options; PUT starts the upgrade. */
async function firmwareSection(ctx, device) {
  let current = null;
  try {
    current = await get(`${UPGRADER}/device/${device.id}/firmware/`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  const parts = [];
  if (current) {
    parts.push(details([['Image', current.image], ['Installed', current.installed ? 'Yes' : 'Not yet (an upgrade runs or failed)'], ['Set', dateTime(current.modified)]]));
  } else parts.push(el('p', { text: 'No firmware is set for this device yet.' }));
  if (!ctx.canOperate) return section('Firmware', ...parts);
  const builds = await getAll(`${UPGRADER}/build/`, `organization=${encodeURIComponent(ctx.organization.slug)}&ordering=-created`);
  if (!builds.length) {
    parts.push(el('p', {}, 'There is no build to install yet: ', el('a', { href: href('builds'), text: 'add one' }), '.'));
    return section('Firmware', ...parts);
  }
  const buildField = field('build', 'Build', { kind: 'select', options: builds.map((b) => [b.id, `${b.version}${b.os ? ` (${b.os})` : ''}`]) });
  const imageField = field('image', 'Image', { kind: 'select', options: [] });
  const imageSelect = imageField.querySelector('select');
  async function loadImages() {
    const images = await getAll(`${UPGRADER}/build/${buildField.querySelector('select').value}/image/`);
    const fits = (i) => (i.boards || []).includes(device.board_name) || (i.boards || []).includes(device.model);
    imageSelect.replaceChildren(...images.map((i) => el('option', { value: i.id, text: `${i.type}${fits(i) ? ' (fits this device)' : ''}` })));
    const fitting = images.find(fits);
    if (fitting) imageSelect.value = fitting.id;
  }
  buildField.querySelector('select').addEventListener('change', loadImages);
  await loadImages();
  const upgrade = form([buildField, imageField, optionsFieldset()], 'Upgrade firmware…', async (values, node) => {
    if (!values.image) throw Object.assign(new Error('This build has no image.'), { fields: { image: ['This build has no image.'] } });
    const label = imageSelect.selectedOptions[0] ? imageSelect.selectedOptions[0].textContent : values.image;
    if (!(await confirmAction(`Flash ${label} onto ${device.name}? The device reboots.`, 'Upgrade'))) return;
    const answer = await put(`${UPGRADER}/device/${device.id}/firmware/`, { image: values.image, upgrade_options: readOptions(node) });
    const operation = answer.location ? answer.location.replace(/\/+$/, '').split('/').pop() : null;
    notify(`Upgrade of ${device.name} started.`);
    if (operation) ctx.go(href('operation', { id: operation }));
    else ctx.refresh();
  }, { label: 'Upgrade firmware' });
  upgrade.id = 'firmware-form';
  parts.push(upgrade);
  return section('Firmware', ...parts);
}

function historySection(ctx, device) {
  const table = listTable({
    path: `${UPGRADER}/device/${device.id}/upgrade-operation/`,
    caption: 'Upgrade operations',
    organization: ctx.organization.slug,
    orderings: ['status', 'progress', 'created', 'modified'],
    defaultOrdering: '-created',
    filters: [{ name: 'status', label: 'Status', kind: 'select', options: [['', 'All'], ...['in-progress', 'success', 'failed', 'cancelled', 'aborted', 'queued', 'pending'].map((s) => [s, statusLabel(s)])] }],
    columns: [
      { label: 'Started', field: 'created', render: (o) => el('a', { href: href('operation', { id: o.id }), text: dateTime(o.created) }) },
      { label: 'Status', field: 'status', render: (o) => el('span', { className: `status status-${o.status}`, text: statusLabel(o.status) }) },
      { label: 'Progress', field: 'progress', render: (o) => `${o.progress} %` },
      { label: 'Step', render: (o) => o.step || '' },
      { label: 'Mass upgrade', render: (o) => (o.batch ? el('a', { href: href('batch', { id: o.batch }), text: 'batch' }) : '') },
    ],
    empty: 'No upgrades yet.',
  });
  return { node: section('History of operations', table.node), table };
}

export async function deviceView(ctx) {
  const device = await get(`${API}/devices/${encodeURIComponent(ctx.route.params.id)}/`);
  const credentials = await getAll(`${API}/credentials/`, `organization=${encodeURIComponent(ctx.organization.slug)}`);
  const info = el('div', { id: 'device-info' }, deviceInfo(device));
  const actions = el('div', { className: 'actions' });
  let refreshPoll = null;
  if (ctx.canOperate && !device.deactivated) {
    const refresh = el('button', {
      type: 'button',
      id: 'refresh-info',
      text: 'Refresh info',
      onclick: async () => {
        refresh.disabled = true;
        try {
          await post(`${API}/devices/${device.id}/refresh/`);
          notify(`Reading the device info of ${device.name}…`);
          const stamp = (d) => `${d.refreshed_at}|${d.refresh_error}|${d.modified}`;
          const before = stamp(device);
          if (refreshPoll) refreshPoll.stop();
          refreshPoll = poll({
            url: `${API}/devices/${device.id}/`,
            intervalMs: 1500,
            fetchJson: getWithHeaders,
            onChange: (fresh) => {
              if (stamp(fresh) === before) return;
              info.replaceChildren(deviceInfo(fresh));
              notify(fresh.refresh_error ? `Refresh failed: ${fresh.refresh_error}` : `Device info of ${device.name} read.`, fresh.refresh_error ? 'error' : 'ok');
              refresh.disabled = false;
            },
            done: (fresh) => stamp(fresh) !== before,
          });
        } catch (error) {
          notify(error.message, 'error');
          refresh.disabled = false;
        }
      },
    });
    actions.append(refresh);
  }
  if (ctx.canAdmin) {
    if (device.host_key) {
      actions.append(
        el('button', {
          type: 'button',
          className: 'secondary',
          text: 'Forget host key',
          onclick: async () => {
            if (!(await confirmAction(`Forget the pinned host key of ${device.name}? The next connection pins whatever key the device shows.`, 'Forget'))) return;
            try {
              await patch(`${API}/devices/${device.id}/`, { host_key: null });
              notify('Host key forgotten.');
              ctx.refresh();
            } catch (error) {
              notify(error.message, 'error');
            }
          },
        }),
      );
    }
    actions.append(
      deleteButton('Delete device', `Delete the device ${device.name} with its connections and history?`, async () => {
        await del(`${API}/devices/${device.id}/`);
        notify(`Device ${device.name} deleted.`);
        ctx.go(href('devices'));
      }),
    );
  }
  const connections = connectionsSection(ctx, device, credentials);
  const history = historySection(ctx, device);
  const parts = [section('Device', info, actions), await firmwareSection(ctx, device), connections.node, history.node];
  if (ctx.canAdmin) {
    parts.push(
      section(
        'Edit device',
        form([
          ...deviceFields(device),
          field('deactivated', 'Deactivated (no upgrades)', { kind: 'checkbox', value: device.deactivated }),
          field('confirm_address_change', 'Confirm the address (needed to change it; forgets the host key)', { kind: 'checkbox', value: false }),
        ], 'Save device', async (values) => {
          await patch(`${API}/devices/${device.id}/`, values);
          notify('Device saved.');
          announce('Device saved.');
          ctx.refresh();
        }),
      ),
    );
  }
  render(device.name, ...parts);
  await Promise.all([connections.table.reload(), history.table.reload()]);
  return () => refreshPoll && refreshPoll.stop();
}

export async function credentialsView(ctx) {
  const table = listTable({
    path: `${API}/credentials/`,
    caption: 'Credentials',
    organization: ctx.organization.slug,
    query: ctx.route.query,
    sync: true,
    orderings: ['name', 'created', 'modified'],
    filters: [{ name: 'auto_add', label: 'Added to every device', kind: 'select', options: [['', 'All'], ['true', 'Yes'], ['false', 'No']] }],
    columns: [
      { label: 'Name', field: 'name', render: (c) => c.name },
      { label: 'Username', render: (c) => c.username },
      { label: 'Port', render: (c) => String(c.port) },
      { label: 'Authentication', render: (c) => (c.auth === 'private_key' ? 'Private key' : c.auth === 'password' ? 'Password' : c.auth) },
      { label: 'Every device', render: (c) => (c.auto_add ? 'Yes' : 'No') },
      { label: 'Shared', render: (c) => (c.organization ? 'No' : 'Yes') },
      ...(ctx.canAdmin
        ? [
            {
              label: 'Actions',
              render: (c) =>
                c.organization || ctx.me.is_superuser
                  ? deleteButton(`Delete ${c.name}`, `Delete the credentials “${c.name}”? Devices connected only with them can no longer be upgraded.`, async () => {
                      await del(`${API}/credentials/${c.id}/`);
                      notify(`Credentials “${c.name}” deleted.`);
                      await table.reload();
                    })
                  : '',
            },
          ]
        : []),
    ],
    empty: 'No credentials yet.',
  });
  const parts = [el('p', { className: 'hint', text: 'Passwords and keys are stored sealed and never shown again.' }), table.node];
  if (ctx.canAdmin) {
    parts.push(
      section(
        'New credentials',
        form(
          [
            field('name', 'Name', { required: true }),
            field('username', 'SSH username', { value: 'root', required: true }),
            field('port', 'SSH port', { kind: 'number', value: 22, attrs: { min: '1', max: '65535' } }),
            field('password', 'Password', { kind: 'password', attrs: { autocomplete: 'new-password' }, hint: 'Either a password or a private key.' }),
            field('private_key', 'Private key (RSA or Ed25519, PEM/OpenSSH)', { kind: 'textarea', attrs: { spellcheck: 'false' } }),
            field('auto_add', 'Connect every device of the organization with these credentials', { kind: 'checkbox', value: true }),
          ],
          'Create credentials',
          async (values, node) => {
            const body = { ...values, organization: ctx.organization.slug };
            if (!body.password) delete body.password;
            if (!body.private_key) delete body.private_key;
            await post(`${API}/credentials/`, body);
            node.reset();
            notify(`Credentials “${values.name}” created.`);
            await table.reload();
          },
        ),
      ),
    );
  }
  render('Credentials', ...parts);
  await table.reload();
}
