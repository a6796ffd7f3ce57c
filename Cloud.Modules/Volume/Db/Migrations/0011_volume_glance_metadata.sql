-- Volume: what a volume made from an image keeps of it (Cinder's volume_glance_metadata): image_id from the request,
-- then, once the image is written, its name, kernel_id, ramdisk_id, formats, min_disk, min_ram and size. The volume
-- manager and compute read it to boot the volume (kernel and ramdisk of an AMI-style image); the APIs show it as
-- volume_image_metadata. Rows go with their volume.
CREATE TABLE IF NOT EXISTS volume_glance_metadata (
    volume_id INTEGER NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    value VARCHAR(255) NOT NULL,
    PRIMARY KEY (volume_id, `key`)
){{table_options}};
