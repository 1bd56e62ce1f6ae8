// Image type names, the built-in device table, profiles.json and custom_images readers, and the
// merged lookup table.
#include "fwhub/domain/firmware/image_types.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <regex>
#include <set>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::domain::firmware {
namespace {

using Value = rapidjson::Value;

[[noreturn]] void reject(const std::string& document, const std::string& what) {
  throw Error(Code::kInvalidArgument, document + ": " + what);
}

rapidjson::Document parse_json(std::string_view json, const std::string& document) {
  rapidjson::Document parsed;
  if (const std::string reason = fwhub::parse_json(parsed, json); !reason.empty()) {
    reject(document, reason);
  }
  return parsed;
}

std::string text(const Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// The strings of an array member; an absent member is an empty list.
std::vector<std::string> string_list(const Value& object, const char* name, const std::string& where) {
  std::vector<std::string> out;
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) {
    return out;
  }
  if (!it->value.IsArray()) {
    reject("profiles.json", where + ": \"" + name + "\" is not a list");
  }
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsString()) {
      reject("profiles.json", where + ": \"" + name + "\" holds a value that is not a string");
    }
    out.push_back(text(item));
  }
  return out;
}

// A profile title as OpenWrt writes the model: "vendor model variant", or the older "title".
std::string title_text(const Value& title, const std::string& where) {
  if (!title.IsObject()) {
    reject("profiles.json", where + ": a title is not an object");
  }
  std::string out;
  for (const char* part : {"title", "vendor", "model", "variant"}) {
    const auto it = title.FindMember(part);
    if (it == title.MemberEnd()) {
      continue;
    }
    if (!it->value.IsString()) {
      reject("profiles.json", where + ": title \"" + part + "\" is not a string");
    }
    if (it->value.GetStringLength() > 0) {
      out += (out.empty() ? "" : " ") + text(it->value);
    }
  }
  return out;
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) {
    list.push_back(item);
  }
}

bool is_sysupgrade(std::string_view image_type) {
  return image_type.find("sysupgrade") != std::string_view::npos;
}

bool is_whole_disk(std::string_view image_type) {
  return image_type == "combined" || image_type == "combined-efi" || image_type == "sdcard";
}

}  // namespace

std::string type_from_filename(std::string_view file_name) {
  static const std::regex prefix(R"(^openwrt-(?:[0-9][0-9.]*(?:-rc[0-9]+)?(?:-snapshot-r[0-9]+-[0-9a-f]+)?-)?)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(file_name.begin(), file_name.end(), match, prefix) ||
      static_cast<std::size_t>(match.length(0)) == file_name.size()) {
    return std::string(file_name);
  }
  return std::string(file_name.substr(static_cast<std::size_t>(match.length(0))));
}

const std::vector<ImageType>& builtin_image_types() {
  // Facts from OpenWrt's profiles.json: type, label from the titles, then model strings and board names.
  static const std::vector<ImageType> table = {
      {"ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin",
       "TP-Link Archer C7 v2 (OpenWrt 19.07 and later)",
       {"tplink,archer-c7-v2", "archer-c7", "TP-Link Archer C7 v2"}},
      {"ath79-generic-tplink_archer-c7-v4-squashfs-sysupgrade.bin",
       "TP-Link Archer C7 v4 (OpenWrt 19.07 and later)",
       {"tplink,archer-c7-v4", "archer-c7-v4", "TP-Link Archer C7 v4"}},
      {"ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin",
       "TP-Link Archer C7 v5 (OpenWrt 19.07 and later)",
       {"tplink,archer-c7-v5", "archer-c7-v5", "TP-Link Archer C7 v5"}},
      {"ath79-generic-tplink_archer-c6-v2-squashfs-sysupgrade.bin",
       "TP-Link Archer C6 v2 (EU/RU/JP) (OpenWrt 19.07 and later)",
       {"tplink,archer-c6-v2", "TP-Link Archer C6 v2 (EU/RU/JP)"}},
      {"ath79-generic-tplink_archer-a7-v5-squashfs-sysupgrade.bin",
       "TP-Link Archer A7 v5 (OpenWrt 19.07 and later)",
       {"tplink,archer-a7-v5", "TP-Link Archer A7 v5"}},
      {"ath79-generic-tplink_tl-wdr3600-v1-squashfs-sysupgrade.bin",
       "TP-Link TL-WDR3600 v1 (OpenWrt 19.07 and later)",
       {"tplink,tl-wdr3600-v1", "tl-wdr4300", "TP-Link TL-WDR3600 v1"}},
      {"ath79-generic-tplink_tl-wdr4300-v1-squashfs-sysupgrade.bin",
       "TP-Link TL-WDR4300 v1 (OpenWrt 19.07 and later)",
       {"tplink,tl-wdr4300-v1", "tl-wdr4300", "TP-Link TL-WDR4300 v1"}},
      {"ath79-generic-tplink_tl-wr1043nd-v2-squashfs-sysupgrade.bin",
       "TP-Link TL-WR1043N/ND v2 (OpenWrt 19.07 and later)",
       {"tplink,tl-wr1043nd-v2", "tl-wr1043nd-v2", "TP-Link TL-WR1043N/ND v2"}},
      {"ath79-generic-tplink_tl-wr1043nd-v3-squashfs-sysupgrade.bin",
       "TP-Link TL-WR1043N/ND v3 (OpenWrt 19.07 and later)",
       {"tplink,tl-wr1043nd-v3", "tl-wr1043nd-v2", "TP-Link TL-WR1043N/ND v3"}},
      {"ath79-generic-tplink_tl-wr1043nd-v4-squashfs-sysupgrade.bin",
       "TP-Link TL-WR1043N/ND v4 (OpenWrt 19.07 and later)",
       {"tplink,tl-wr1043nd-v4", "tl-wr1043nd-v4", "TP-Link TL-WR1043N/ND v4"}},
      {"ath79-generic-tplink_tl-wr1043n-v5-squashfs-sysupgrade.bin",
       "TP-Link TL-WR1043N v5 (OpenWrt 19.07 and later)",
       {"tplink,tl-wr1043n-v5", "tl-wr1043n-v5", "TP-Link TL-WR1043N v5"}},
      {"ath79-generic-tplink_tl-wr842n-v3-squashfs-sysupgrade.bin",
       "TP-Link TL-WR842N v3 (OpenWrt 19.07 and later)",
       {"tplink,tl-wr842n-v3", "tl-wr842n-v3", "TP-Link TL-WR842N v3"}},
      {"ath79-generic-tplink_eap225-outdoor-v1-squashfs-sysupgrade.bin",
       "TP-Link EAP225-Outdoor v1 (OpenWrt 23.05 and later)",
       {"tplink,eap225-outdoor-v1", "TP-Link EAP225-Outdoor v1"}},
      {"ath79-generic-tplink_eap245-v3-squashfs-sysupgrade.bin",
       "TP-Link EAP245 v3 / TP-Link EAP265 HD v1 (OpenWrt 23.05 and later)",
       {"tplink,eap245-v3", "TP-Link EAP245 v3", "TP-Link EAP265 HD v1"}},
      {"ath79-generic-tplink_cpe210-v1-squashfs-sysupgrade.bin",
       "TP-Link CPE210 v1 (OpenWrt 23.05 and later)",
       {"tplink,cpe210-v1", "cpe210", "TP-Link CPE210 v1"}},
      {"ath79-generic-tplink_cpe510-v1-squashfs-sysupgrade.bin",
       "TP-Link CPE510 v1 (OpenWrt 23.05 and later)",
       {"tplink,cpe510-v1", "cpe510", "TP-Link CPE510 v1"}},
      {"ath79-generic-ubnt_unifiac-lite-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi AC Lite (OpenWrt 19.07 and later)",
       {"ubnt,unifiac-lite", "unifiac-lite", "Ubiquiti UniFi AC Lite"}},
      {"ath79-generic-ubnt_unifiac-lr-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi AC LR (OpenWrt 19.07 and later)",
       {"ubnt,unifiac-lr", "unifiac-lite", "ubnt,unifiac-lite", "Ubiquiti UniFi AC LR"}},
      {"ath79-generic-ubnt_unifiac-mesh-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi AC Mesh (OpenWrt 19.07 and later)",
       {"ubnt,unifiac-mesh", "unifiac-lite", "Ubiquiti UniFi AC Mesh"}},
      {"ath79-generic-ubnt_unifiac-pro-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi AC Pro (OpenWrt 19.07 and later)",
       {"ubnt,unifiac-pro", "unifiac-pro", "Ubiquiti UniFi AC Pro"}},
      {"ath79-generic-ubnt_nanostation-ac-squashfs-sysupgrade.bin",
       "Ubiquiti Nanostation AC (OpenWrt 19.07 and later)",
       {"ubnt,nanostation-ac", "Ubiquiti Nanostation AC"}},
      {"ath79-generic-ubnt_nanostation-m-xw-squashfs-sysupgrade.bin",
       "Ubiquiti Nanostation M XW (OpenWrt 19.07 and later)",
       {"ubnt,nanostation-m-xw", "nanostation-m-xw", "Ubiquiti Nanostation M XW"}},
      {"ramips-mt7621-ubnt_edgerouter-x-squashfs-sysupgrade.bin",
       "Ubiquiti EdgeRouter X (OpenWrt 23.05 and later)",
       {"ubnt,edgerouter-x", "ubnt-erx", "ubiquiti,edgerouterx", "Ubiquiti EdgeRouter X"}},
      {"mediatek-mt7622-ubnt_unifi-6-lr-v1-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi 6 LR v1 (OpenWrt 23.05 and later)",
       {"ubnt,unifi-6-lr-v1", "ubnt,unifi-6-lr", "Ubiquiti UniFi 6 LR v1"}},
      {"ramips-mt7621-ubnt_unifi-nanohd-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi nanoHD (OpenWrt 23.05 and later)",
       {"ubnt,unifi-nanohd", "Ubiquiti UniFi nanoHD"}},
      {"ath79-generic-ubnt_litebeam-ac-gen2-squashfs-sysupgrade.bin",
       "Ubiquiti LiteBeam AC Gen2 (OpenWrt 23.05 and later)",
       {"ubnt,litebeam-ac-gen2", "Ubiquiti LiteBeam AC Gen2"}},
      {"ath79-generic-glinet_gl-ar150-squashfs-sysupgrade.bin",
       "GL.iNet GL-AR150 (OpenWrt 19.07 and later)",
       {"glinet,gl-ar150", "gl-ar150", "GL.iNet GL-AR150"}},
      {"ath79-generic-glinet_gl-ar300m16-squashfs-sysupgrade.bin",
       "GL.iNet GL-AR300M16 (OpenWrt 23.05 and later)",
       {"glinet,gl-ar300m16", "gl-ar300m", "GL.iNet GL-AR300M16"}},
      {"ath79-generic-glinet_gl-ar750-squashfs-sysupgrade.bin",
       "GL.iNet GL-AR750 (OpenWrt 23.05 and later)",
       {"glinet,gl-ar750", "gl-ar750", "GL.iNet GL-AR750"}},
      {"ath79-nand-glinet_gl-ar750s-nor-squashfs-sysupgrade.bin",
       "GL.iNet GL-AR750S NOR (OpenWrt 23.05 and later)",
       {"glinet,gl-ar750s-nor", "gl-ar750s", "glinet,gl-ar750s", "glinet,gl-ar750s-nor-nand", "GL.iNet GL-AR750S NOR"}},
      {"ramips-mt76x8-glinet_gl-mt300n-v2-squashfs-sysupgrade.bin",
       "GL.iNet GL-MT300N V2 (OpenWrt 23.05 and later)",
       {"glinet,gl-mt300n-v2", "gl-mt300n-v2", "GL.iNet GL-MT300N V2"}},
      {"ipq40xx-generic-glinet_gl-b1300-squashfs-sysupgrade.bin",
       "GL.iNet GL-B1300 (OpenWrt 19.07 and later)",
       {"glinet,gl-b1300", "GL.iNet GL-B1300"}},
      {"mediatek-filogic-glinet_gl-mt3000-squashfs-sysupgrade.bin",
       "GL.iNet GL-MT3000 (OpenWrt 23.05 and later)",
       {"glinet,gl-mt3000", "glinet,mt3000-snand", "GL.iNet GL-MT3000"}},
      {"mediatek-filogic-glinet_gl-mt6000-squashfs-sysupgrade.bin",
       "GL.iNet GL-MT6000 (OpenWrt 23.05 and later)",
       {"glinet,gl-mt6000", "GL.iNet GL-MT6000"}},
      {"ramips-mt7621-glinet_gl-mt1300-squashfs-sysupgrade.bin",
       "GL.iNet GL-MT1300 (OpenWrt 23.05 and later)",
       {"glinet,gl-mt1300", "GL.iNet GL-MT1300"}},
      {"ath79-nand-glinet_gl-xe300-squashfs-sysupgrade.bin",
       "GL.iNet GL-XE300 (OpenWrt 23.05 and later)",
       {"glinet,gl-xe300", "GL.iNet GL-XE300"}},
      {"ipq40xx-generic-linksys_ea8300-squashfs-sysupgrade.bin",
       "Linksys EA8300 (OpenWrt 19.07 and later)",
       {"linksys,ea8300", "Linksys EA8300"}},
      {"mediatek-mt7622-linksys_e8450-ubi-squashfs-sysupgrade.itb",
       "Linksys E8450 UBI / Belkin RT3200 UBI (OpenWrt 23.05 and later)",
       {"linksys,e8450-ubi", "Linksys E8450 UBI", "Belkin RT3200 UBI"}},
      {"mvebu-cortexa9-linksys_wrt1900acs-squashfs-sysupgrade.bin",
       "Linksys WRT1900ACS v1 / Linksys WRT1900ACS v2 / Linksys Shelby (OpenWrt 19.07 and later)",
       {"linksys,wrt1900acs", "armada-385-linksys-shelby", "linksys,shelby", "Linksys WRT1900ACS v1",
        "Linksys WRT1900ACS v2", "Linksys Shelby"}},
      {"mvebu-cortexa9-linksys_wrt3200acm-squashfs-sysupgrade.bin",
       "Linksys WRT3200ACM / Linksys Rango (OpenWrt 19.07 and later)",
       {"linksys,wrt3200acm", "armada-385-linksys-rango", "linksys,rango", "Linksys WRT3200ACM", "Linksys Rango"}},
      {"mvebu-cortexa9-linksys_wrt32x-squashfs-sysupgrade.bin",
       "Linksys WRT32X / Linksys Venom (OpenWrt 19.07 and later)",
       {"linksys,wrt32x", "armada-385-linksys-venom", "linksys,venom", "Linksys WRT32X", "Linksys Venom"}},
      {"ipq806x-generic-netgear_r7800-squashfs-sysupgrade.bin",
       "NETGEAR Nighthawk X4S R7800 (OpenWrt 19.07 and later)",
       {"netgear,r7800", "r7800", "NETGEAR Nighthawk X4S R7800"}},
      {"ath79-generic-netgear_wndr3700-v2-squashfs-sysupgrade.bin",
       "NETGEAR WNDR3700 v2 (OpenWrt 23.05 and later)",
       {"netgear,wndr3700-v2", "wndr3700", "netgear,wndr3700v2", "NETGEAR WNDR3700 v2"}},
      {"ramips-mt7621-netgear_wax202-squashfs-sysupgrade.bin",
       "NETGEAR WAX202 (OpenWrt 23.05 and later)",
       {"netgear,wax202", "NETGEAR WAX202"}},
      {"ramips-mt7621-xiaomi_mi-router-4a-gigabit-squashfs-sysupgrade.bin",
       "Xiaomi Mi Router 4A Gigabit Edition (OpenWrt 23.05 and later)",
       {"xiaomi,mi-router-4a-gigabit", "Xiaomi Mi Router 4A Gigabit Edition"}},
      {"ramips-mt7621-xiaomi_mi-router-3g-squashfs-sysupgrade.bin",
       "Xiaomi Mi Router 3G (OpenWrt 23.05 and later)",
       {"xiaomi,mi-router-3g", "R3G", "mir3g", "xiaomi,mir3g", "Xiaomi Mi Router 3G"}},
      {"mediatek-filogic-xiaomi_mi-router-ax3000t-squashfs-sysupgrade.bin",
       "Xiaomi Mi Router AX3000T (OpenWrt 23.05 and later)",
       {"xiaomi,mi-router-ax3000t", "Xiaomi Mi Router AX3000T"}},
      {"mediatek-filogic-xiaomi_redmi-router-ax6000-ubootmod-squashfs-sysupgrade.itb",
       "Xiaomi Redmi Router AX6000 (OpenWrt U-Boot layout) (OpenWrt 23.05 and later)",
       {"xiaomi,redmi-router-ax6000-ubootmod", "Xiaomi Redmi Router AX6000 (OpenWrt U-Boot layout)"}},
      {"ipq40xx-generic-avm_fritzbox-4040-squashfs-sysupgrade.bin",
       "AVM FRITZ!Box 4040 (OpenWrt 19.07 and later)",
       {"avm,fritzbox-4040", "AVM FRITZ!Box 4040"}},
      {"ipq40xx-generic-avm_fritzbox-7530-squashfs-sysupgrade.bin",
       "AVM FRITZ!Box 7530 / AVM FRITZ!Box 7520 (OpenWrt 19.07 and later)",
       {"avm,fritzbox-7530", "AVM FRITZ!Box 7530", "AVM FRITZ!Box 7520"}},
      {"ipq40xx-generic-asus_rt-ac58u-squashfs-sysupgrade.bin",
       "ASUS RT-AC58U / ASUS RT-ACRH13 (OpenWrt 19.07 and later)",
       {"asus,rt-ac58u", "ASUS RT-AC58U", "ASUS RT-ACRH13"}},
      {"ramips-mt7621-asus_rt-ax53u-squashfs-sysupgrade.bin",
       "ASUS RT-AX53U / ASUS RT-AX1800U (OpenWrt 23.05 and later)",
       {"asus,rt-ax53u", "ASUS RT-AX53U", "ASUS RT-AX1800U"}},
      {"mediatek-filogic-asus_rt-ax59u-squashfs-sysupgrade.bin",
       "ASUS RT-AX59U (OpenWrt 23.05 and later)",
       {"asus,rt-ax59u", "ASUS RT-AX59U"}},
      {"ipq40xx-generic-openmesh_a62-squashfs-sysupgrade.bin",
       "OpenMesh A62 (OpenWrt 19.07 and later)",
       {"openmesh,a62", "OpenMesh A62"}},
      {"ath79-generic-openmesh_om5p-ac-v2-squashfs-sysupgrade.bin",
       "OpenMesh OM5P-AC v2 (OpenWrt 19.07 and later)",
       {"openmesh,om5p-ac-v2", "om5p-acv2", "OpenMesh OM5P-AC v2"}},
      {"ipq40xx-generic-meraki_mr33-squashfs-sysupgrade.bin",
       "Cisco Meraki MR33 (OpenWrt 19.07 and later)",
       {"meraki,mr33", "Cisco Meraki MR33"}},
      {"ath79-generic-engenius_ews511ap-squashfs-sysupgrade.bin",
       "EnGenius EWS511AP (OpenWrt 19.07 and later)",
       {"engenius,ews511ap", "EnGenius EWS511AP"}},
      {"ipq40xx-generic-zyxel_nbg6617-squashfs-sysupgrade.bin",
       "ZyXEL NBG6617 (OpenWrt 19.07 and later)",
       {"zyxel,nbg6617", "ZyXEL NBG6617"}},
      {"ramips-mt7621-zyxel_nwa50ax-squashfs-sysupgrade.bin",
       "ZyXEL NWA50AX (OpenWrt 23.05 and later)",
       {"zyxel,nwa50ax", "ZyXEL NWA50AX"}},
      {"mediatek-filogic-cudy_wr3000-v1-squashfs-sysupgrade.bin",
       "Cudy WR3000 v1 (OpenWrt 23.05 and later)",
       {"cudy,wr3000-v1", "R31", "Cudy WR3000 v1"}},
      {"ramips-mt7621-cudy_x6-v1-squashfs-sysupgrade.bin",
       "Cudy X6 v1 (OpenWrt 23.05 and later)",
       {"cudy,x6-v1", "cudy,x6", "R13", "Cudy X6 v1"}},
      {"ramips-mt7621-dlink_dir-878-a1-squashfs-sysupgrade.bin",
       "D-Link DIR-878 A1 (OpenWrt 23.05 and later)",
       {"dlink,dir-878-a1", "D-Link DIR-878 A1"}},
      {"ipq40xx-mikrotik-mikrotik_hap-ac2-squashfs-sysupgrade.bin",
       "MikroTik hAP ac2 (OpenWrt 23.05 and later)",
       {"mikrotik,hap-ac2", "MikroTik hAP ac2"}},
      {"rockchip-armv8-friendlyarm_nanopi-r2s-squashfs-sysupgrade.img.gz",
       "FriendlyARM NanoPi R2S (OpenWrt 23.05 and later)",
       {"friendlyarm,nanopi-r2s", "FriendlyARM NanoPi R2S"}},
      {"rockchip-armv8-friendlyarm_nanopi-r4s-squashfs-sysupgrade.img.gz",
       "FriendlyARM NanoPi R4S 4GB LPDDR4 (OpenWrt 23.05 and later)",
       {"friendlyarm,nanopi-r4s", "FriendlyARM NanoPi R4S 4GB LPDDR4"}},
      {"bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz",
       "Raspberry Pi 4B/400/CM4 (64bit) (OpenWrt 23.05 and later)",
       {"raspberrypi,400", "raspberrypi,4-compute-module", "raspberrypi,4-model-b", "Raspberry Pi 4B/400/CM4 (64bit)"}},
      {"bcm27xx-bcm2710-rpi-3-squashfs-sysupgrade.img.gz",
       "Raspberry Pi 3B/3B+/CM3 (64bit) / Raspberry Pi 2B-1.2 (64bit) (OpenWrt 23.05 and later)",
       {"rpi-3-b", "rpi-3-b-plus", "rpi-zero-2", "raspberrypi,2-model-b-rev2", "raspberrypi,3-model-b",
        "raspberrypi,3-model-b-plus", "raspberrypi,3-compute-module", "raspberrypi,compute-module-3",
        "raspberrypi,model-zero-2", "Raspberry Pi 3B/3B+/CM3 (64bit)", "Raspberry Pi 2B-1.2 (64bit)"}},
      {"mediatek-filogic-bananapi_bpi-r3-squashfs-sysupgrade.itb",
       "Bananapi BPi-R3 (OpenWrt 23.05 and later)",
       {"bananapi,bpi-r3", "Bananapi BPi-R3"}},
      {"ipq40xx-generic-8dev_jalapeno-squashfs-sysupgrade.bin",
       "8devices Jalapeno (OpenWrt 23.05 and later)",
       {"8dev,jalapeno", "8devices Jalapeno"}},
      {"ath79-generic-alfa-network_ap121f-squashfs-sysupgrade.bin",
       "ALFA Network AP121F (OpenWrt 23.05 and later)",
       {"alfa-network,ap121f", "ap121f", "ALFA Network AP121F"}},
      {"ramips-mt76x8-tplink_archer-c50-v4-squashfs-sysupgrade.bin",
       "TP-Link Archer C50 v4 (OpenWrt 23.05 and later)",
       {"tplink,archer-c50-v4", "tplink,c50-v4", "TP-Link Archer C50 v4"}},
      {"ramips-mt7621-tplink_archer-a6-v3-squashfs-sysupgrade.bin",
       "TP-Link Archer A6 V3 (OpenWrt 23.05 and later)",
       {"tplink,archer-a6-v3", "TP-Link Archer A6 V3"}},
      {"ipq40xx-generic-netgear_ex6150v2-squashfs-sysupgrade.bin",
       "NETGEAR EX6150 v2 (OpenWrt 19.07 and later)",
       {"netgear,ex6150v2", "NETGEAR EX6150 v2"}},
      {"mediatek-filogic-ubnt_unifi-6-plus-squashfs-sysupgrade.bin",
       "Ubiquiti UniFi 6 Plus (OpenWrt 23.05 and later)",
       {"ubnt,unifi-6-plus", "Ubiquiti UniFi 6 Plus"}},
      {"ramips-mt7621-tplink_eap615-wall-v1-squashfs-sysupgrade.bin",
       "TP-Link EAP615-Wall v1 (OpenWrt 23.05 and later)",
       {"tplink,eap615-wall-v1", "TP-Link EAP615-Wall v1"}},
      {"ramips-mt7621-tplink_archer-ax23-v1-squashfs-sysupgrade.bin",
       "TP-Link Archer AX23 v1 (OpenWrt 23.05 and later)",
       {"tplink,archer-ax23-v1", "TP-Link Archer AX23 v1"}},
  };
  return table;
}

std::vector<ImageType> image_types_from_profiles_json(std::string_view profiles_json) {
  const auto document = parse_json(profiles_json, "profiles.json");
  if (!document.IsObject()) {
    reject("profiles.json", "the document is not an object");
  }
  const auto profiles = document.FindMember("profiles");
  if (profiles == document.MemberEnd() || !profiles->value.IsObject()) {
    reject("profiles.json", "\"profiles\" is missing or not an object");
  }
  std::vector<ImageType> out;
  for (const auto& [id, profile] : profiles->value.GetObject()) {
    const std::string where = "profile " + text(id);
    if (!profile.IsObject()) {
      reject("profiles.json", where + " is not an object");
    }
    ImageType entry;
    std::vector<std::string> titles;
    if (const auto it = profile.FindMember("titles"); it != profile.MemberEnd()) {
      if (!it->value.IsArray()) {
        reject("profiles.json", where + ": \"titles\" is not a list");
      }
      for (const auto& title : it->value.GetArray()) {
        add_unique(titles, title_text(title, where));
      }
    }
    for (const auto& device : string_list(profile, "supported_devices", where)) {
      add_unique(entry.boards, device);
    }
    for (const auto& title : titles) {
      add_unique(entry.boards, title);
      entry.label += (entry.label.empty() ? "" : " / ") + title;
    }
    if (entry.label.empty()) {
      entry.label = text(id);
    }
    std::vector<std::pair<std::string, std::string>> images;  // (type, name)
    if (const auto it = profile.FindMember("images"); it != profile.MemberEnd()) {
      if (!it->value.IsArray()) {
        reject("profiles.json", where + ": \"images\" is not a list");
      }
      for (const auto& image : it->value.GetArray()) {
        const auto string_of = [&](const char* name) {
          const auto member = image.FindMember(name);
          if (member == image.MemberEnd() || !member->value.IsString()) {
            reject("profiles.json", where + ": an image without a string \"type\" and \"name\"");
          }
          return text(member->value);
        };
        if (!image.IsObject()) {
          reject("profiles.json", where + ": an image without a string \"type\" and \"name\"");
        }
        images.emplace_back(string_of("type"), string_of("name"));
      }
    }
    const bool has_sysupgrade =
        std::any_of(images.begin(), images.end(), [](const auto& image) { return is_sysupgrade(image.first); });
    for (const auto& [type, name] : images) {
      if (has_sysupgrade ? is_sysupgrade(type) : is_whole_disk(type)) {
        out.push_back({type_from_filename(name), entry.label, entry.boards});
      }
    }
  }
  return out;
}

std::vector<ImageType> parse_custom_image_types(std::string_view json) {
  if (json.empty()) {
    return {};
  }
  const std::string document = "custom_images";
  const auto parsed = parse_json(json, document);
  if (!parsed.IsArray()) {
    reject(document, "not a list of [type, {label, boards}] pairs");
  }
  std::vector<ImageType> out;
  std::set<std::string> seen;
  for (rapidjson::SizeType i = 0; i < parsed.Size(); ++i) {
    const std::string where = "entry " + std::to_string(i);
    const Value& pair = parsed[i];
    if (!pair.IsArray() || pair.Size() != 2) {
      reject(document, where + " is not a [type, {label, boards}] pair");
    }
    if (!pair[0].IsString() || pair[0].GetStringLength() == 0) {
      reject(document, where + ": the type is not a non-empty string");
    }
    ImageType entry;
    entry.type = text(pair[0]);
    const std::string named = where + " (" + entry.type + ")";
    if (!seen.insert(entry.type).second) {
      reject(document, named + ": the type is listed twice");
    }
    const Value& details = pair[1];
    if (!details.IsObject()) {
      reject(document, named + ": the second item is not an object");
    }
    const auto label = details.FindMember("label");
    if (label == details.MemberEnd() || !label->value.IsString()) {
      reject(document, named + ": \"label\" is missing or not a string");
    }
    entry.label = text(label->value);
    const auto boards = details.FindMember("boards");
    if (boards == details.MemberEnd() || !boards->value.IsArray()) {
      reject(document, named + ": \"boards\" is missing or not a list");
    }
    for (const auto& board : boards->value.GetArray()) {
      if (!board.IsString() || board.GetStringLength() == 0) {
        reject(document, named + ": \"boards\" holds a value that is not a non-empty string");
      }
      entry.boards.push_back(text(board));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

bool fits(const ImageType& image_type, std::string_view board_name, std::string_view model) {
  const auto listed = [&](std::string_view board) {
    return !board.empty() &&
           std::find(image_type.boards.begin(), image_type.boards.end(), board) != image_type.boards.end();
  };
  return listed(board_name) || listed(model);
}

ImageTypeTable::ImageTypeTable(const std::vector<std::vector<ImageType>>& sources) {
  for (const auto& source : sources) {
    for (const auto& entry : source) {
      if (index_.emplace(entry.type, entries_.size()).second) {
        entries_.push_back(entry);
      }
    }
  }
}

const ImageType* ImageTypeTable::find(std::string_view type) const {
  const auto it = index_.find(type);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::vector<std::string> ImageTypeTable::boards_for(std::string_view type) const {
  const ImageType* entry = find(type);
  return entry == nullptr ? std::vector<std::string>{} : entry->boards;
}

bool ImageTypeTable::fits(std::string_view type, std::string_view board_name, std::string_view model) const {
  const ImageType* entry = find(type);
  return entry != nullptr && firmware::fits(*entry, board_name, model);
}

}  // namespace fwhub::domain::firmware
