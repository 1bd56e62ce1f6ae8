// Categories, builds and their firmware images: lists, forms, image upload with a progress bar,
// images built from the catalog, and the way into the mass-upgrade wizard.
import { UPGRADER, del, get, getAll, patch, post, upload } from '../api.js';
import { announce, deleteButton, details, el, field, form, notify, render, section } from '../dom.js';
import { bytes, dateTime, duration, percent, rate, remainingSeconds } from '../format.js';
import { href } from '../router.js';
import { listTable } from '../table.js';

const orgQuery = (ctx) => `organization=${encodeURIComponent(ctx.organization.slug)}`;

export async function categoriesView(ctx) {
  const table = listTable({
    path: `${UPGRADER}/category/`,
    caption: 'Categories',
    organization: ctx.organization.slug,
    query: ctx.route.query,
    sync: true,
    orderings: ['name', 'created', 'modified'],
    filters: [{ name: 'name', label: 'Name (exact)' }],
    columns: [
      { label: 'Name', field: 'name', render: (c) => el('a', { href: href('builds', {}, { category: c.id }), text: c.name }) },
      { label: 'Description', render: (c) => c.description },
      { label: 'Shared', render: (c) => (c.organization ? 'No' : 'Yes') },
      { label: 'Created', field: 'created', render: (c) => dateTime(c.created) },
      ...(ctx.canAdmin
        ? [
            {
              label: 'Actions',
              render: (c) =>
                c.organization === ctx.organization.id || ctx.me.is_superuser
                  ? deleteButton(`Delete ${c.name}`, `Delete the category “${c.name}” with all its builds and images?`, async () => {
                      await del(`${UPGRADER}/category/${c.id}/`);
                      notify(`Category “${c.name}” deleted.`);
                      await table.reload();
                    })
                  : '',
            },
          ]
        : []),
    ],
  });
  const parts = [table.node];
  if (ctx.canAdmin) {
    parts.push(
      section(
        'New category',
        form([field('name', 'Name', { required: true }), field('description', 'Description', { kind: 'textarea' })], 'Create category', async (values, node) => {
          await post(`${UPGRADER}/category/`, { ...values, organization: ctx.organization.slug });
          node.reset();
          notify(`Category “${values.name}” created.`);
          await table.reload();
        }),
      ),
    );
  }
  render('Categories', ...parts);
  await table.reload();
}

export async function buildsView(ctx) {
  const categories = await getAll(`${UPGRADER}/category/`, orgQuery(ctx));
  const names = new Map(categories.map((c) => [c.id, c.name]));
  const table = listTable({
    path: `${UPGRADER}/build/`,
    caption: 'Builds',
    organization: ctx.organization.slug,
    query: ctx.route.query,
    sync: true,
    orderings: ['version', 'os', 'created', 'modified'],
    defaultOrdering: '-created',
    filters: [
      { name: 'category', label: 'Category', kind: 'select', options: [['', 'All'], ...categories.map((c) => [c.id, c.name])] },
      { name: 'version', label: 'Version (exact)' },
    ],
    columns: [
      { label: 'Version', field: 'version', render: (b) => el('a', { href: href('build', { id: b.id }), text: b.version }) },
      { label: 'Category', render: (b) => names.get(b.category) || b.category },
      { label: 'OS', field: 'os', render: (b) => b.os || '' },
      { label: 'Created', field: 'created', render: (b) => dateTime(b.created) },
      ...(ctx.canOperate ? [{ label: 'Mass upgrade', render: (b) => el('a', { href: href('wizard', { id: b.id }), text: `Upgrade devices to ${b.version}` }) }] : []),
    ],
  });
  const parts = [table.node];
  if (ctx.canAdmin) {
    parts.push(
      section(
        'New build',
        categories.length
          ? form(
              [
                field('category', 'Category', { kind: 'select', options: categories.map((c) => [c.id, c.name]), value: ctx.route.query.category || categories[0].id }),
                field('version', 'Version', { required: true, hint: 'For example 23.05.4; at most 32 characters.' }),
                field('changelog', 'Changelog', { kind: 'textarea' }),
              ],
              'Create build',
              async (values) => {
                const answer = await post(`${UPGRADER}/build/`, values);
                notify(`Build ${values.version} created. Add its images now.`);
                ctx.go(href('build', { id: answer.body.id }));
              },
            )
          : el('p', {}, 'Create a ', el('a', { href: href('categories'), text: 'category' }), ' first.'),
      ),
    );
  }
  render('Builds', ...parts);
  await table.reload();
}

/** The upload form of a build's images: file, optional type, a progress bar with rate and time left. */
function uploadSection(build, images) {
  const bar = el('progress', { id: 'upload-progress', max: '100', value: '0', 'aria-label': 'Upload progress' });
  const status = el('p', { id: 'upload-status', className: 'hint' });
  const progress = el('div', { className: 'upload-progress', hidden: true }, bar, status);
  let current = null;
  const cancel = el('button', { type: 'button', className: 'secondary', text: 'Cancel upload', hidden: true, onclick: () => current && current.abort() });
  const node = form(
    [
      field('file', 'Image file', { kind: 'file', required: true, hint: 'A sysupgrade image (at most 30 MiB); its metadata fills the boards and the OS.' }),
      field('type', 'Type (optional)', { hint: 'Leave empty to derive it from the file name.' }),
    ],
    'Upload image',
    async (values, formNode) => {
      if (!values.file) throw Object.assign(new Error('Choose a file.'), { fields: { file: ['Choose a file.'] } });
      const data = new FormData();
      data.append('file', values.file, values.file.name);
      if (values.type) data.append('type', values.type);
      const started = performance.now();
      let lastAnnounced = -1;
      progress.hidden = false;
      cancel.hidden = false;
      bar.value = 0;
      status.textContent = 'Starting the upload…';
      current = upload(`${UPGRADER}/build/${build.id}/image/`, data, (loaded, total) => {
        const elapsed = performance.now() - started;
        const done = percent(loaded, total);
        bar.value = done;
        const left = remainingSeconds(loaded, total, elapsed);
        bar.setAttribute('aria-valuetext', `${done} percent`);
        const text = `${done} % · ${bytes(loaded)} of ${bytes(total)}${rate(loaded, elapsed) ? ` · ${rate(loaded, elapsed)}` : ''}${left !== null && loaded < total ? ` · ${duration(left)} left` : ''}`;
        status.textContent = text;
        // The visible text follows every event; screen readers hear every quarter.
        if (Math.floor(done / 25) !== lastAnnounced) {
          lastAnnounced = Math.floor(done / 25);
          announce(`Upload ${done} percent`);
        }
      });
      try {
        const answer = await current.promise;
        bar.value = 100;
        status.textContent = `Uploaded ${answer.body.file_name} (${bytes(answer.body.size)}).`;
        announce(status.textContent);
        formNode.reset();
        notify(`Image ${answer.body.type} added.`);
        await images.reload();
      } catch (error) {
        status.textContent = `Upload failed: ${error.message}`;
        announce(status.textContent);
        throw error;
      } finally {
        cancel.hidden = true;
        current = null;
      }
    },
    { label: 'Upload an image' },
  );
  node.id = 'upload-form';
  node.querySelector('.actions').append(cancel);
  return section('Upload an image', node, progress);
}

/** Images requested from the catalog (one ASU build per profile) and their state. */
function catalogSection(ctx, build) {
  const table = listTable({
    path: `${UPGRADER}/build/${build.id}/catalog-build/`,
    caption: 'Images requested from the catalog',
    organization: ctx.organization.slug,
    orderings: ['profile', 'created'],
    columns: [
      { label: 'Profile', field: 'profile', render: (s) => s.profile },
      { label: 'Status', render: (s) => s.status },
      { label: 'Detail', render: (s) => s.detail || '' },
      { label: 'Created', field: 'created', render: (s) => dateTime(s.created) },
    ],
    empty: 'No images were requested from the catalog.',
  });
  const parts = [table.node];
  if (ctx.canAdmin) {
    parts.push(
      form(
        [
          field('version', 'OpenWrt release', { required: true, hint: 'For example 23.05.4.' }),
          field('target', 'Target', { required: true, hint: 'For example ath79/generic.' }),
          field('profiles', 'Profiles', { required: true, hint: 'Profile ids, separated by spaces or commas (1 to 64).' }),
          field('packages', 'Extra packages (optional)', { hint: 'Separated by spaces.' }),
        ],
        'Build from the catalog',
        async (values) => {
          const split = (text) => String(text || '').split(/[\s,]+/).filter(Boolean);
          await post(`${UPGRADER}/build/${build.id}/catalog-build/`, { version: values.version, target: values.target, profiles: split(values.profiles), packages: split(values.packages) });
          notify('Image builds requested; they are added to this build as they finish.');
          announce('Image builds requested.');
          await table.reload();
        },
        { label: 'Build images from the catalog' },
      ),
    );
  }
  return { node: section('Build images from the catalog', ...parts), table };
}

export async function buildView(ctx) {
  const build = await get(`${UPGRADER}/build/${encodeURIComponent(ctx.route.params.id)}/`);
  const category = await get(`${UPGRADER}/category/${build.category}/`).catch(() => null);
  const images = listTable({
    path: `${UPGRADER}/build/${build.id}/image/`,
    caption: 'Images',
    organization: ctx.organization.slug,
    orderings: ['type', 'size', 'created'],
    columns: [
      { label: 'Type', field: 'type', render: (i) => i.type },
      { label: 'Boards', render: (i) => (i.boards || []).join(', ') },
      { label: 'Size', field: 'size', render: (i) => bytes(i.size) },
      { label: 'SHA-256', render: (i) => el('code', { className: 'sha', text: i.sha256 }) },
      { label: 'Download', render: (i) => el('a', { href: i.file, download: i.file_name, text: i.file_name }) },
      ...(ctx.canAdmin
        ? [
            {
              label: 'Actions',
              render: (i) =>
                deleteButton(`Delete ${i.type}`, `Delete the image ${i.file_name}?`, async () => {
                  await del(`${UPGRADER}/build/${build.id}/image/${i.id}/`);
                  notify(`Image ${i.type} deleted.`);
                  await images.reload();
                }),
            },
          ]
        : []),
    ],
    empty: 'This build has no images yet.',
  });
  const info = details([
    ['Version', build.version],
    ['Category', category ? el('a', { href: href('builds', {}, { category: category.id }), text: category.name }) : build.category],
    ['OS', build.os || '(filled from the first image)'],
    ['Changelog', build.changelog || ''],
    ['Created', dateTime(build.created)],
  ]);
  const actions = el('div', { className: 'actions' });
  if (ctx.canOperate) actions.append(el('a', { className: 'button', href: href('wizard', { id: build.id }), text: 'Mass upgrade…' }));
  actions.append(el('a', { className: 'button secondary', href: href('batches', {}, { build: build.id }), text: 'Mass upgrades of this build' }));
  if (ctx.canAdmin) {
    actions.append(
      deleteButton('Delete build', `Delete build ${build.version} with all its images?`, async () => {
        await del(`${UPGRADER}/build/${build.id}/`);
        notify(`Build ${build.version} deleted.`);
        ctx.go(href('builds'));
      }),
    );
  }
  const parts = [section('Build', info, actions), section('Images', images.node)];
  if (ctx.canAdmin) {
    parts.push(uploadSection(build, images));
    parts.push(
      section(
        'Edit build',
        form([field('version', 'Version', { value: build.version, required: true }), field('changelog', 'Changelog', { kind: 'textarea', value: build.changelog })], 'Save', async (values) => {
          await patch(`${UPGRADER}/build/${build.id}/`, values);
          notify('Build saved.');
          ctx.refresh();
        }),
      ),
    );
  }
  const catalog = catalogSection(ctx, build);
  parts.push(catalog.node);
  render(`Build ${build.version}`, ...parts);
  await Promise.all([images.reload(), catalog.table.reload()]);
}
