// Configuration of the firmware selector: the one file to edit when deploying the page.
// Every setting may be left as it is; the defaults fit a page served by fwhub itself.

export default {
  // Where the download-server documents (.versions.json, releases/{v}/.overview.json) are read.
  // '' = the server that serves this page (fwhub publishes them).
  data_url: '',

  // Where release images are downloaded from. '' = `image_url_override` of .versions.json
  // (fwhub sets it to where the images really are), else `data_url`.
  image_url: '',

  // The ASU-compatible build server for custom images. The default is the server of this page;
  // '' = download-only mode (no Customise panel).
  asu_url: window.location.origin,

  // Packages added to every custom image's list (the user can remove them).
  extra_packages: ['luci'],

  // Link to more information about a device. Placeholders: {title} {vendor} {model} {id}
  // {target} {version}, each URL-encoded. '' = no link.
  info_url: 'https://openwrt.org/start?do=search&id=toh&q={title}%20@toh',

  // Releases offered in the picker. [] = all of .versions.json's versions_list.
  versions: [],
  // Preselected release. '' = stable_version of .versions.json.
  default_version: '',
  show_release_candidates: false,
  show_snapshots: false,

  // At most this many search suggestions.
  max_suggestions: 15,
  // Poll interval of a running build, milliseconds.
  poll_interval_ms: 3000,
};
