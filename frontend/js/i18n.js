// Translations of the firmware selector. `t(key, params)` looks a text up in the current language,
// falls back to English, and fills `{name}` placeholders. To add a language, add a dictionary with
// the same keys to `dictionaries` and its name to `languageNames`.

const en = {
  'title': 'Firmware Selector',
  'language': 'Language',
  'intro': 'Type the name or model of your device, then download an image or build one with your own packages.',
  'version': 'Release',
  'search.label': 'Device',
  'search.placeholder': 'e.g. Archer C7 v5, gl-mt6000',
  'search.hint': 'Type any part of the vendor, model or board name. Use the arrow keys to choose, Enter to select.',
  'search.loading': 'Loading the device list of {version}…',
  'search.ready': '{count} devices in {version}.',
  'search.none': 'No device matches "{query}".',
  'search.count': '{count} devices match.',
  'search.more': 'Showing {shown} of {count} matches; type more to narrow them down.',
  'load.failed': 'Could not load {what}: {error}',
  'device.unknown': 'The device "{id}" is not part of release {version}.',
  'about': 'About this build',
  'about.model': 'Model',
  'about.target': 'Target',
  'about.version': 'Version',
  'about.revision': 'Revision',
  'about.date': 'Date',
  'about.info': 'More information',
  'about.info.link': 'about this device',
  'permalink': 'Link to this selection',
  'images': 'Download an image',
  'images.none': 'There are no images for this device in this release.',
  'image.download': 'Download',
  'image.copy': 'Copy',
  'image.copy.label': 'Copy the sha256 checksum of {name}',
  'image.copied': 'Copied',
  'image.copy.failed': 'Copy failed; select the checksum by hand',
  'image.help.sysupgrade': 'To upgrade a device that already runs OpenWrt (System → Backup / Flash Firmware, or sysupgrade).',
  'image.help.factory': 'For the first installation, from the vendor\u2019s original firmware (its web interface or recovery).',
  'image.help.kernel': 'A kernel with a built-in root file system in RAM: for testing or installation over TFTP; nothing is written to flash.',
  'image.help.rootfs': 'The root file system alone, for installations that write kernel and root file system separately.',
  'image.help.combined': 'A complete disk image (boot loader, kernel, root file system) to write to a disk or SD card.',
  'image.help.combined-efi': 'A complete disk image for machines that boot with UEFI.',
  'image.help.sdcard': 'An image to write to an SD card.',
  'image.help.tftp': 'For installation over TFTP from the boot loader.',
  'image.help.recovery': 'For the vendor\u2019s recovery mode.',
  'image.help.uboot': 'A boot loader image; only needed in special cases.',
  'image.help.other': 'See the device\u2019s page for how to use this image.',
  'customise': 'Customise installed packages and first-boot script',
  'customise.downloadonly': 'Custom images are not available: no build server is configured.',
  'packages': 'Packages',
  'packages.hint': 'The image\u2019s default and device packages, plus suggested extras. Remove what you do not need, add what you want.',
  'packages.add': 'Add a package',
  'packages.add.button': 'Add',
  'packages.add.placeholder': 'package name, e.g. htop',
  'packages.remove': 'Remove {name}',
  'packages.reset': 'Reset to the defaults',
  'packages.count': '{count} packages',
  'packages.added': '{name} added.',
  'packages.removed': '{name} removed.',
  'packages.loading': 'Loading the package index…',
  'packages.unknown': 'Not in the package index of this release: {names}',
  'defaults': 'Script to run on first boot (uci-defaults)',
  'defaults.hint': 'A shell script that runs once when the device first starts. Leave empty for none.',
  'defaults.template': 'Insert a template',
  'defaults.disabled': 'This build server does not accept first-boot scripts.',
  'defaults.length': '{count} of {max} characters',
  'rootfs': 'Root file system size in MB (optional)',
  'rootfs.hint': 'Only for devices with a resizable root partition (x86, SD cards). At most {max} MB.',
  'build.submit': 'Request build',
  'build.cancel': 'Stop waiting',
  'build.sending': 'Sending the build request…',
  'build.queued': 'Queued: position {position} in the queue.',
  'build.running': 'Building: {step}.',
  'build.elapsed': 'Elapsed: {time}',
  'build.done': 'Build finished.',
  'build.failed': 'The build failed.',
  'build.rejected': 'The server refused the request.',
  'build.overloaded': 'The build server is busy: {message}',
  'build.network': 'The build server could not be reached: {error}',
  'build.output': 'Build output',
  'build.custom': 'Custom images',
  'build.stopped': 'Stopped waiting for the build.',
  'step.init': 'preparing',
  'step.download_imagebuilder': 'downloading the ImageBuilder',
  'step.unpack_imagebuilder': 'unpacking the ImageBuilder',
  'step.validate_revision': 'checking the revision',
  'step.validate_manifest': 'checking the package selection',
  'step.building_image': 'building the image',
  'footer.server': 'Build server {version}',
  'footer.contact': 'Contact: {contact}',
};

const de = {
  'title': 'Firmware-Auswahl',
  'language': 'Sprache',
  'intro': 'Geben Sie den Namen oder das Modell Ihres Geräts ein und laden Sie dann ein Image herunter oder erstellen Sie eines mit Ihren eigenen Paketen.',
  'version': 'Version',
  'search.label': 'Gerät',
  'search.placeholder': 'z. B. Archer C7 v5, gl-mt6000',
  'search.hint': 'Einen beliebigen Teil von Hersteller, Modell oder Board-Namen eingeben. Mit den Pfeiltasten auswählen, mit Enter übernehmen.',
  'search.loading': 'Geräteliste von {version} wird geladen …',
  'search.ready': '{count} Geräte in {version}.',
  'search.none': 'Kein Gerät passt zu „{query}“.',
  'search.count': '{count} Geräte passen.',
  'search.more': '{shown} von {count} Treffern angezeigt; weitertippen, um sie einzugrenzen.',
  'load.failed': '{what} konnte nicht geladen werden: {error}',
  'device.unknown': 'Das Gerät „{id}“ gehört nicht zu Version {version}.',
  'about': 'Über dieses Build',
  'about.model': 'Modell',
  'about.target': 'Target',
  'about.version': 'Version',
  'about.revision': 'Revision',
  'about.date': 'Datum',
  'about.info': 'Weitere Informationen',
  'about.info.link': 'zu diesem Gerät',
  'permalink': 'Link zu dieser Auswahl',
  'images': 'Image herunterladen',
  'images.none': 'Für dieses Gerät gibt es in dieser Version keine Images.',
  'image.download': 'Herunterladen',
  'image.copy': 'Kopieren',
  'image.copy.label': 'sha256-Prüfsumme von {name} kopieren',
  'image.copied': 'Kopiert',
  'image.copy.failed': 'Kopieren fehlgeschlagen; bitte die Prüfsumme von Hand markieren',
  'image.help.sysupgrade': 'Zum Aktualisieren eines Geräts, auf dem OpenWrt schon läuft (System → Backup / Firmware flashen, oder sysupgrade).',
  'image.help.factory': 'Für die Erstinstallation aus der Originalfirmware des Herstellers (deren Weboberfläche oder Recovery).',
  'image.help.kernel': 'Ein Kernel mit eingebautem Root-Dateisystem im RAM: zum Testen oder zur Installation per TFTP; in den Flash wird nichts geschrieben.',
  'image.help.rootfs': 'Nur das Root-Dateisystem, für Installationen, die Kernel und Root-Dateisystem getrennt schreiben.',
  'image.help.combined': 'Ein vollständiges Disk-Image (Bootloader, Kernel, Root-Dateisystem) für eine Festplatte oder SD-Karte.',
  'image.help.combined-efi': 'Ein vollständiges Disk-Image für Rechner, die mit UEFI starten.',
  'image.help.sdcard': 'Ein Image zum Schreiben auf eine SD-Karte.',
  'image.help.tftp': 'Zur Installation per TFTP aus dem Bootloader.',
  'image.help.recovery': 'Für den Recovery-Modus des Herstellers.',
  'image.help.uboot': 'Ein Bootloader-Image; nur in Sonderfällen nötig.',
  'image.help.other': 'Wie dieses Image verwendet wird, steht auf der Seite des Geräts.',
  'customise': 'Installierte Pakete und Erststart-Skript anpassen',
  'customise.downloadonly': 'Eigene Images sind nicht verfügbar: Es ist kein Build-Server eingerichtet.',
  'packages': 'Pakete',
  'packages.hint': 'Die Standard- und Gerätepakete des Images und vorgeschlagene Extras. Entfernen Sie, was Sie nicht brauchen.',
  'packages.add': 'Paket hinzufügen',
  'packages.add.button': 'Hinzufügen',
  'packages.add.placeholder': 'Paketname, z. B. htop',
  'packages.remove': '{name} entfernen',
  'packages.reset': 'Auf Standard zurücksetzen',
  'packages.count': '{count} Pakete',
  'packages.added': '{name} hinzugefügt.',
  'packages.removed': '{name} entfernt.',
  'packages.loading': 'Paketindex wird geladen …',
  'packages.unknown': 'Nicht im Paketindex dieser Version: {names}',
  'defaults': 'Skript für den ersten Start (uci-defaults)',
  'defaults.hint': 'Ein Shell-Skript, das beim ersten Start des Geräts einmal läuft. Leer lassen für keines.',
  'defaults.template': 'Vorlage einfügen',
  'defaults.disabled': 'Dieser Build-Server nimmt keine Erststart-Skripte an.',
  'defaults.length': '{count} von {max} Zeichen',
  'rootfs': 'Größe des Root-Dateisystems in MB (optional)',
  'rootfs.hint': 'Nur für Geräte mit veränderbarer Root-Partition (x86, SD-Karten). Höchstens {max} MB.',
  'build.submit': 'Build anfordern',
  'build.cancel': 'Nicht mehr warten',
  'build.sending': 'Build-Anfrage wird gesendet …',
  'build.queued': 'In der Warteschlange: Position {position}.',
  'build.running': 'Build läuft: {step}.',
  'build.elapsed': 'Vergangen: {time}',
  'build.done': 'Build abgeschlossen.',
  'build.failed': 'Der Build ist fehlgeschlagen.',
  'build.rejected': 'Der Server hat die Anfrage abgelehnt.',
  'build.overloaded': 'Der Build-Server ist ausgelastet: {message}',
  'build.network': 'Der Build-Server ist nicht erreichbar: {error}',
  'build.output': 'Ausgabe des Builds',
  'build.custom': 'Eigene Images',
  'build.stopped': 'Warten auf den Build beendet.',
  'step.init': 'Vorbereitung',
  'step.download_imagebuilder': 'ImageBuilder wird heruntergeladen',
  'step.unpack_imagebuilder': 'ImageBuilder wird entpackt',
  'step.validate_revision': 'Revision wird geprüft',
  'step.validate_manifest': 'Paketauswahl wird geprüft',
  'step.building_image': 'Image wird gebaut',
  'footer.server': 'Build-Server {version}',
  'footer.contact': 'Kontakt: {contact}',
};

export const dictionaries = { en, de };
export const languageNames = { en: 'English', de: 'Deutsch' };

let current = 'en';

/** The first of the browser's languages we have (by primary subtag), else English. */
export function pickLanguage(preferred, available = Object.keys(dictionaries)) {
  for (const tag of preferred || []) {
    if (!tag) continue;
    const lower = String(tag).toLowerCase();
    if (available.includes(lower)) return lower;
    const primary = lower.split('-')[0];
    if (available.includes(primary)) return primary;
  }
  return available.includes('en') ? 'en' : available[0];
}

export function setLanguage(lang) {
  current = dictionaries[lang] ? lang : 'en';
  return current;
}

export function language() {
  return current;
}

export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Translates the static page: `data-i18n="key"` sets the text, `data-i18n-attr="attr:key;…"`
 * sets attributes.
 */
export function translatePage(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}
