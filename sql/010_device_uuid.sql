-- fwhub's identity of a device: the uuid it keeps in /etc/config/fwhub (option uuid of section
-- 'device'). Given by the operator, or learned (or written to the device) on first contact;
-- an upgrade reaching a device with another uuid aborts. '' = not known yet.
ALTER TABLE devices ADD COLUMN uuid VARCHAR(36) NOT NULL DEFAULT '' AFTER board_name;
