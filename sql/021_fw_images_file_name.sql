-- Image file names are unique per build: the file is stored as firmware/<build>/<file name>, so a
-- second image with a taken name overwrote the first one's file (its sha256 then no longer matched
-- and every upgrade to it failed; deleting either image removed the other's file).
ALTER TABLE fw_images ADD UNIQUE KEY IF NOT EXISTS fw_images_file_name (build_id, file_name);
