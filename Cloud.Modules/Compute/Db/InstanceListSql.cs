using System.Text;
using Dapper;

namespace Cloud.Modules.Compute.Db;

/// <summary>
/// The SQL of an <see cref="InstanceListQuery"/>: its scope and exact filters as parameterised conditions, nova's
/// order, and keyset paging after the marker's row, so a page reads only its own rows. Column names come from a fixed
/// map of nova's sort keys, never from the request. NULL sorts first ascending and last descending, as both engines
/// order it, and the keyset condition says the same.
/// </summary>
internal static class InstanceListSql
{
    /// <summary>nova's sort keys that are columns of the instances table (display_description and node are nova's names for description and host).</summary>
    private static readonly Dictionary<string, string> SortColumns = new(StringComparer.Ordinal)
    {
        ["access_ip_v4"] = "access_ip_v4", ["access_ip_v6"] = "access_ip_v6", ["availability_zone"] = "availability_zone",
        ["created_at"] = "created_at", ["display_description"] = "description", ["display_name"] = "display_name", ["host"] = "host",
        ["node"] = "host", ["image_ref"] = "image_ref", ["instance_type_id"] = "instance_type_id", ["kernel_id"] = "kernel_id",
        ["key_name"] = "key_name", ["launch_index"] = "launch_index", ["launched_at"] = "launched_at", ["locked_by"] = "locked_by",
        ["power_state"] = "power_state", ["project_id"] = "project_id", ["ramdisk_id"] = "ramdisk_id", ["task_state"] = "task_state",
        ["terminated_at"] = "terminated_at", ["updated_at"] = "updated_at", ["user_id"] = "user_id", ["uuid"] = "uuid",
        ["vm_state"] = "vm_state", ["locked"] = "locked", ["id"] = "id",
    };

    /// <summary>The WHERE condition of the query's scope and filters, and its parameters.</summary>
    public static (string Where, DynamicParameters Args) Filter(InstanceListQuery query, string projectId, bool allProjects)
    {
        var args = new DynamicParameters();
        var where = new StringBuilder("((deleted = 0 AND @Live = 1) OR (deleted = 1 AND @DeletedSince IS NOT NULL AND updated_at >= @DeletedSince))");
        args.Add("Live", query.Live);
        args.Add("DeletedSince", query.DeletedSince);
        if (!allProjects)
        {
            where.Append(" AND project_id = @ProjectId");
            args.Add("ProjectId", projectId);
        }
        Add(where, args, "updated_at >= @ChangedSince", "ChangedSince", query.ChangedSince);
        Add(where, args, "updated_at <= @ChangedBefore", "ChangedBefore", query.ChangedBefore);
        Add(where, args, "host = @Host", "Host", query.Host);
        Add(where, args, "LOWER(image_ref) = @ImageRef", "ImageRef", query.ImageRef?.ToLowerInvariant());
        Add(where, args, "locked = @Locked", "Locked", query.Locked);
        if (query.InstanceTypeIds is { } typeIds)
        {
            where.Append(typeIds.Count == 0 ? " AND 1 = 0" : " AND instance_type_id IN @InstanceTypeIds");
            args.Add("InstanceTypeIds", typeIds);
        }
        return (where.ToString(), args);
    }

    /// <summary>The columns to order by: the query's keys that are columns, then id (ascending unless the first key descends) for a total order.</summary>
    public static IReadOnlyList<(string Column, bool Descending)> Order(InstanceListQuery query)
    {
        var order = query.Sort.Where(k => SortColumns.ContainsKey(k.Key)).Select(k => (SortColumns[k.Key], k.Descending)).ToList();
        if (!order.Any(o => o.Item1 == "id"))
        {
            order.Add(("id", order.Count > 0 && order[0].Item2));
        }
        return order;
    }

    /// <summary>The list's statement: the instances matching <paramref name="where"/> in <paramref name="order"/>, then <paramref name="limit"/> (" LIMIT @Limit" or "").</summary>
    public static string Select(string where, IReadOnlyList<(string Column, bool Descending)> order, string limit) =>
        $"SELECT {InstanceQueries.Columns} FROM instances WHERE {where} ORDER BY {OrderBy(order)}{limit}";

    public static string OrderBy(IReadOnlyList<(string Column, bool Descending)> order) =>
        string.Join(", ", order.Select(o => o.Descending ? o.Column + " DESC" : o.Column));

    /// <summary>The marker's values of the order's columns (k0, k1, ...), only if the query lists it.</summary>
    public static string MarkerRow(string where, IReadOnlyList<(string Column, bool Descending)> order) =>
        $"SELECT {string.Join(", ", order.Select((o, i) => $"{o.Column} AS k{i}"))} FROM instances WHERE uuid = @Marker AND {where}";

    /// <summary>
    /// The rows after the marker in the order: for some key i, every earlier key equals the marker's and key i comes
    /// after it. The marker's values are bound as read, so they compare as stored.
    /// </summary>
    public static string After(IReadOnlyList<(string Column, bool Descending)> order, IDictionary<string, object?> marker, DynamicParameters args)
    {
        var alternatives = new List<string>();
        var equal = new List<string>();
        for (var i = 0; i < order.Count; i++)
        {
            var (column, descending) = order[i];
            var value = marker[$"k{i}"];
            var name = $"@Marker{i}";
            args.Add(name, value);
            var after = (value, descending) switch
            {
                (null, false) => $"{column} IS NOT NULL",
                (null, true) => null,
                (_, false) => $"{column} > {name}",
                (_, true) => $"({column} < {name} OR {column} IS NULL)",
            };
            if (after is not null)
            {
                alternatives.Add(equal.Count == 0 ? after : $"({string.Join(" AND ", equal)} AND {after})");
            }
            equal.Add(value is null ? $"{column} IS NULL" : $"{column} = {name}");
        }
        return alternatives.Count == 0 ? "1 = 0" : $"({string.Join(" OR ", alternatives)})";
    }

    private static void Add(StringBuilder where, DynamicParameters args, string condition, string name, object? value)
    {
        if (value is not null)
        {
            where.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
    }
}
