namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The JSON Schemas glanceclient downloads and validates against (<c>/v2/schemas/*</c>). Their enums are enforced
/// client side, so they list exactly the formats and statuses the registry accepts.
/// </summary>
public static class ImageSchemas
{
    private const string ImageProperties = """
        "id": {"type": "string", "description": "An identifier for the image", "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
        "name": {"type": ["null", "string"], "description": "Descriptive name for the image", "maxLength": 255},
        "status": {"type": "string", "readOnly": true, "description": "Status of the image", "enum": ["queued", "saving", "active", "killed", "deleted", "uploading", "importing", "pending_delete", "deactivated"]},
        "visibility": {"type": "string", "description": "Scope of image accessibility", "enum": ["community", "public", "private", "shared"]},
        "protected": {"type": "boolean", "description": "If true, image will not be deletable."},
        "os_hidden": {"type": "boolean", "description": "If true, image will not appear in default image list response."},
        "checksum": {"type": ["null", "string"], "readOnly": true, "description": "md5 hash of image contents.", "maxLength": 32},
        "os_hash_algo": {"type": ["null", "string"], "readOnly": true, "description": "Algorithm to calculate the os_hash_value", "maxLength": 64},
        "os_hash_value": {"type": ["null", "string"], "readOnly": true, "description": "Hexdigest of the image contents using the algorithm specified by the os_hash_algo", "maxLength": 128},
        "owner": {"type": ["null", "string"], "description": "Owner of the image", "maxLength": 255},
        "size": {"type": ["null", "integer"], "readOnly": true, "description": "Size of image file in bytes"},
        "virtual_size": {"type": ["null", "integer"], "readOnly": true, "description": "Virtual size of image in bytes"},
        "container_format": {"type": ["null", "string"], "description": "Format of the container", "enum": [null, "ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]},
        "disk_format": {"type": ["null", "string"], "description": "Format of the disk", "enum": [null, "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]},
        "created_at": {"type": "string", "readOnly": true, "description": "Date and time of image registration"},
        "updated_at": {"type": "string", "readOnly": true, "description": "Date and time of the last image modification"},
        "tags": {"type": "array", "description": "List of strings related to the image", "items": {"type": "string", "maxLength": 255}},
        "direct_url": {"type": "string", "readOnly": true, "description": "URL to access the image file kept in external store"},
        "min_ram": {"type": "integer", "description": "Amount of ram (in MB) required to boot image."},
        "min_disk": {"type": "integer", "description": "Amount of disk space (in GB) required to boot image."},
        "self": {"type": "string", "readOnly": true, "description": "An image self url"},
        "file": {"type": "string", "readOnly": true, "description": "An image file url"},
        "schema": {"type": "string", "readOnly": true, "description": "An image schema url"},
        "locations": {"type": "array", "description": "A set of URLs to access the image file kept in external store", "items": {"type": "object"}},
        "kernel_id": {"type": ["null", "string"], "description": "ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.", "is_base": false},
        "ramdisk_id": {"type": ["null", "string"], "description": "ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.", "is_base": false},
        "architecture": {"type": "string", "description": "Operating system architecture", "is_base": false},
        "os_distro": {"type": "string", "description": "Common name of operating system distribution", "is_base": false},
        "os_version": {"type": "string", "description": "Operating system version as specified by the distributor", "is_base": false},
        "instance_uuid": {"type": "string", "description": "Metadata which can be used to record which instance this image is associated with.", "is_base": false}
        """;

    private const string ImageLinks = """[{"rel": "self", "href": "{self}"}, {"rel": "enclosure", "href": "{file}"}, {"rel": "describedby", "href": "{schema}"}]""";

    private const string ImageBody = "\"properties\": {" + ImageProperties + "}, \"additionalProperties\": {\"type\": \"string\"}, \"links\": " + ImageLinks;

    /// <summary><c>GET /v2/schemas/image</c>.</summary>
    public const string Image = "{\"name\": \"image\", " + ImageBody + "}";

    /// <summary><c>GET /v2/schemas/images</c>.</summary>
    public const string Images = "{\"name\": \"images\", \"properties\": {\"images\": {\"type\": \"array\", \"items\": {\"name\": \"image\", " + ImageBody + "}}, "
        + "\"schema\": {\"type\": \"string\"}, \"first\": {\"type\": \"string\"}, \"next\": {\"type\": \"string\"}}, "
        + "\"links\": [{\"rel\": \"first\", \"href\": \"{first}\"}, {\"rel\": \"next\", \"href\": \"{next}\"}, {\"rel\": \"describedby\", \"href\": \"{schema}\"}]}";

    private const string MemberProperties = """
        "created_at": {"type": "string", "description": "Date and time of image member creation"},
        "image_id": {"type": "string", "description": "An identifier for the image", "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"},
        "member_id": {"type": "string", "description": "An identifier for the image member (tenantId)"},
        "status": {"type": "string", "description": "The status of this image member", "enum": ["pending", "accepted", "rejected"]},
        "updated_at": {"type": "string", "description": "Date and time of last modification of image member"},
        "schema": {"type": "string", "readOnly": true}
        """;

    /// <summary><c>GET /v2/schemas/member</c>.</summary>
    public const string Member = "{\"name\": \"member\", \"properties\": {" + MemberProperties + "}}";

    /// <summary><c>GET /v2/schemas/members</c>.</summary>
    public const string Members = "{\"name\": \"members\", \"properties\": {\"members\": {\"type\": \"array\", \"items\": " + Member + "}, "
        + "\"schema\": {\"type\": \"string\"}}, \"links\": [{\"rel\": \"schema\", \"href\": \"{schema}\"}]}";
}
