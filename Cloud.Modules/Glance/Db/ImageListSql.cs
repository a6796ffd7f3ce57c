using System.Text;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel.Auth;
using Dapper;

namespace Cloud.Modules.Glance.Db;

/// <summary>
/// Builds the image list query from constant fragments: every value is a parameter, only the choice and order of
/// fragments vary. Paging is keyset paging on the sort keys (then the id), from the marker image's own values.
/// </summary>
internal static class ImageListSql
{
    // Sort expressions never yield NULL, so ordering and the marker comparison agree on both engines.
    private static readonly Dictionary<string, string> SortExpressions = new(StringComparer.Ordinal)
    {
        ["name"] = "COALESCE({0}.name, '')",
        ["status"] = "{0}.status",
        ["container_format"] = "COALESCE({0}.container_format, '')",
        ["disk_format"] = "COALESCE({0}.disk_format, '')",
        ["size"] = "COALESCE({0}.size, -1)",
        ["virtual_size"] = "COALESCE({0}.virtual_size, -1)",
        ["id"] = "{0}.id",
        ["created_at"] = "{0}.created_at",
        ["updated_at"] = "{0}.updated_at",
        ["visibility"] = "{0}.visibility",
        ["owner"] = "COALESCE({0}.owner, '')",
        ["min_disk"] = "{0}.min_disk",
        ["min_ram"] = "{0}.min_ram",
    };

    private const string SharedWithCaller =
        "(i.visibility = 'shared' AND EXISTS (SELECT 1 FROM image_members m WHERE m.image_id = i.id AND m.member = @Project AND m.status IN @MemberStatuses))";

    public static (string Sql, DynamicParameters Args) Build(RequestContext context, ImageQuery query)
    {
        var sql = new StringBuilder($"SELECT {ImageQueries.ImageColumns} FROM images i WHERE i.deleted = 0");
        var args = new DynamicParameters();
        var everything = query.Visibility is "all";
        if (!context.IsAdmin)
        {
            args.Add("Project", context.ProjectId ?? "");
            args.Add("MemberStatuses", query.MemberStatus == "all" ? MemberStatus.All : [query.MemberStatus]);
            sql.Append(" AND (i.owner = @Project OR i.visibility = 'public' OR ").Append(SharedWithCaller);
            sql.Append(everything || query.Visibility is ImageVisibility.Community ? " OR i.visibility = 'community')" : ")");
        }
        if (query.Visibility is { } visibility && !everything)
        {
            Filter(sql, args, "i.visibility = @Visibility", "Visibility", visibility);
        }
        Filter(sql, args, "i.name = @Name", "Name", query.Name);
        Filter(sql, args, "i.status = @Status", "Status", query.Status);
        Filter(sql, args, "i.owner = @Owner", "Owner", query.Owner);
        Filter(sql, args, "i.disk_format = @DiskFormat", "DiskFormat", query.DiskFormat);
        Filter(sql, args, "i.container_format = @ContainerFormat", "ContainerFormat", query.ContainerFormat);
        Filter(sql, args, "i.size >= @SizeMin", "SizeMin", query.SizeMin);
        Filter(sql, args, "i.size <= @SizeMax", "SizeMax", query.SizeMax);
        Filter(sql, args, "i.protected = @Protected", "Protected", query.Protected);
        Filter(sql, args, "i.size = @Size", "Size", query.Size);
        Filter(sql, args, "i.id = @Id", "Id", query.Id);
        Filter(sql, args, "i.checksum = @Checksum", "Checksum", query.Checksum);
        Filter(sql, args, "i.os_hash_value = @OsHashValue", "OsHashValue", query.OsHashValue);
        Filter(sql, args, "i.os_hidden = @OsHidden", "OsHidden", query.OsHidden);
        if (query.ExcludeKilled)
        {
            sql.Append(" AND i.status <> 'killed'");
        }
        if (query.Public is { } isPublic)
        {
            sql.Append(isPublic ? " AND i.visibility = 'public'" : " AND i.visibility <> 'public'");
        }
        for (var n = 0; n < query.Tags.Count; n++)
        {
            sql.Append($" AND EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.value = @Tag{n})");
            args.Add($"Tag{n}", query.Tags[n]);
        }
        var p = 0;
        foreach (var (name, value) in query.Properties)
        {
            sql.Append($" AND EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = i.id AND p.name = @PropertyName{p} AND p.value = @PropertyValue{p})");
            args.Add($"PropertyName{p}", name);
            args.Add($"PropertyValue{p}", value);
            p++;
        }
        var keys = Keys(query);
        if (query.Marker is { } marker)
        {
            args.Add("Marker", marker);
            sql.Append(" AND (").Append(AfterMarker(keys)).Append(')');
        }
        sql.Append(" ORDER BY ").AppendJoin(", ", keys.Select(k => $"{Expression(k.Key, "i")} {(k.Descending ? "DESC" : "ASC")}"));
        sql.Append(" LIMIT @Limit");
        args.Add("Limit", query.Limit + 1);
        return (sql.ToString(), args);
    }

    private static List<ImageSortKey> Keys(ImageQuery query)
    {
        var keys = query.Sort.Count == 0 ? [new ImageSortKey("created_at", true)] : query.Sort.ToList();
        if (!keys.Any(k => k.Key == "id"))
        {
            keys.Add(new ImageSortKey("id", keys[^1].Descending));
        }
        return keys;
    }

    /// <summary>(k0 after m0) OR (k0 = m0 AND k1 after m1) OR ..., each m read from the marker row.</summary>
    private static string AfterMarker(IReadOnlyList<ImageSortKey> keys)
    {
        var terms = new List<string>();
        for (var n = 0; n < keys.Count; n++)
        {
            var term = new StringBuilder("(");
            for (var e = 0; e < n; e++)
            {
                term.Append(Expression(keys[e].Key, "i")).Append(" = ").Append(MarkerValue(keys[e].Key)).Append(" AND ");
            }
            term.Append(Expression(keys[n].Key, "i")).Append(keys[n].Descending ? " < " : " > ").Append(MarkerValue(keys[n].Key)).Append(')');
            terms.Add(term.ToString());
        }
        return string.Join(" OR ", terms);
    }

    private static string MarkerValue(string key) => $"(SELECT {Expression(key, "mk")} FROM images mk WHERE mk.id = @Marker)";

    private static string Expression(string key, string alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, SortExpressions[key], alias);

    private static void Filter(StringBuilder sql, DynamicParameters args, string condition, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
    }
}
