using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ReadModel.Exports;
using Dealwire.Security;
using Dealwire.ServerApi.Dispatch;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Queries;
using Dealwire.ServerApi.Wire;

namespace Dealwire.ServerApi.Commands;

/// <summary>
/// Trade exports (scaletrade-tcp §7.4): the whole filtered table written to a CSV or Excel file in the data
/// directory's <c>storage/</c>, answered with its <c>file_name</c>, downloadable over HTTP with the caller's token
/// (<c>GET /storage/{file_name}</c>) until the retention ends. The rows are exactly those MngGetTradesByFilter would
/// page through (same collection, same filter grammar, filters on wire units); the file then shows volumes in lots
/// (/100) and times as UTC strings, as documented.
/// </summary>
internal static class ExportCommands
{
    /// <summary>Columns a <c>total</c> sums when asked with <c>1</c>/<c>true</c> rather than a list: the money and volume figures.</summary>
    private static readonly string[] SummableColumns = ["volume", "profit", "net_profit", "commission", "storage", "closed_volume"];

    private static readonly HashSet<string> VolumeColumns = new(StringComparer.Ordinal) { "volume", "closed_volume" };

    private static readonly HashSet<string> TimeColumns = new(StringComparer.Ordinal) { "open_time", "close_time", "expiration", "update_time" };

    public static void Register(CommandTable table)
    {
        table.Add("MngExportTradesByFilter", ExportTradesByFilter);
        table.Add("ExportTradesByLogin", ExportTradesByLogin);
    }

    private static async ValueTask<Reply> ExportTradesByFilter(CommandContext c)
    {
        var d = c.Data;
        var mask = new GroupMask(d.RequireString("groupFilter", 256));
        var tradeType = TradeQueryCommands.RequireTradeType(d);
        var format = RequireFormat(d);
        var plan = Plan(d.Raw);
        var rows = await TradeQueryCommands.CollectAsync(c, mask, tradeType, TradeWire.FilterColumns);
        return await WriteAsync(c, plan, rows, format, "Trades");
    }

    /// <summary>
    /// A user exports its own account: the login comes from the session (a <c>login</c> naming another account is
    /// refused 403, like every other read of someone else's account). Staff name the account with <c>login</c> (a
    /// Dealwire extension: the spec's page is written for client sessions), which must lie inside their mask.
    /// </summary>
    private static async ValueTask<Reply> ExportTradesByLogin(CommandContext c)
    {
        var d = c.Data;
        var tradeType = TradeQueryCommands.RequireTradeType(d);
        var format = RequireFormat(d);
        var plan = Plan(d.Raw);
        var login = c.Identity.IsStaff ? d.RequireLong("login") : d.OptionalLong("login", c.Identity.Id);
        await c.RequireAccountAsync(login);
        var rows = await TradeQueryCommands.CollectAsync(c, GroupMask.All, tradeType, TradeWire.FilterColumns, login);
        return await WriteAsync(c, plan, rows, format, "Trades " + login.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async ValueTask<Reply> WriteAsync(CommandContext c, ExportPlan plan, List<object[]> rows, ExportFormat format, string sheet)
    {
        var storage = c.Server.Exports
            ?? throw new ProtocolException(500, ExportError, "this server keeps no export storage (no data directory)");
        var matched = plan.Filter.Sort(rows.Where(plan.Filter.Matches).ToList());
        if (matched.Count > storage.MaxRows)
        {
            throw ProtocolException.InvalidData($"the export matches {matched.Count} rows, more than the limit of {storage.MaxRows}: narrow the filter");
        }
        var table = new ExportTable(plan.Select);
        foreach (var row in matched)
        {
            var cells = new object?[plan.Indexes.Length];
            for (var i = 0; i < cells.Length; i++) cells[i] = Present(plan.Select[i], row[plan.Indexes[i]]);
            table.Add(cells);
        }
        if (plan.Total.Count > 0) table.AddTotal(plan.Total);
        string name;
        try
        {
            name = await storage.SaveAsync(table, format, c.Actor, sheet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProtocolException(500, ExportError, "the export file could not be written: " + e.Message);
        }
        return Reply.Object(w =>
        {
            w.WriteString("file_name", name);
            w.WriteNumber("count", matched.Count);
        });
    }

    /// <summary>Error name of a 500 reply: the export could not be written (the spec gives the status, not a name).</summary>
    public const string ExportError = "EXPORT_ERROR";

    /// <summary>Lots instead of centi-lots, UTC times instead of Unix seconds (0 = none, an empty cell).</summary>
    private static object? Present(string column, object cell)
    {
        if (VolumeColumns.Contains(column)) return Convert.ToDecimal(cell, System.Globalization.CultureInfo.InvariantCulture) / 100m;
        if (TimeColumns.Contains(column))
        {
            var seconds = Convert.ToInt64(cell, System.Globalization.CultureInfo.InvariantCulture);
            return seconds <= 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }
        return cell;
    }

    private static ExportFormat RequireFormat(DataReader d) => d.RequireString("format", 16) switch
    {
        "csv" => ExportFormat.Csv,
        "excel" => ExportFormat.Excel,
        var other => throw ProtocolException.InvalidData($"format must be \"csv\" or \"excel\", not \"{other}\""),
    };

    private sealed record ExportPlan(RowFilter Filter, string[] Select, int[] Indexes, IReadOnlyList<string> Total);

    /// <summary>Filter, <c>select</c> (the columns and their order; all filter columns when absent) and <c>total</c>.</summary>
    private static ExportPlan Plan(JsonElement data)
    {
        var columns = TradeWire.FilterColumns;
        var filter = RowFilter.Parse(data, columns);
        var select = columns;
        if (data.TryGetProperty("select", out var selected) && selected.ValueKind != JsonValueKind.Null)
        {
            select = Names(selected, "select");
            if (select.Length == 0) throw ProtocolException.InvalidData("select must name at least one field");
            foreach (var name in select)
            {
                if (Array.IndexOf(columns, name) < 0) throw ProtocolException.InvalidData($"unknown field '{name}' in select");
            }
            if (select.Distinct(StringComparer.Ordinal).Count() != select.Length) throw ProtocolException.InvalidData("select names a field twice");
        }
        var indexes = select.Select(name => Array.IndexOf(columns, name)).ToArray();
        return new ExportPlan(filter, select, indexes, Totals(data, select));
    }

    /// <summary>
    /// <c>total</c>: a list of fields to sum, or <c>1</c>/<c>true</c> for every selected money and volume field;
    /// absent, <c>0</c> or <c>false</c> for none. A field summed must be selected and numeric.
    /// </summary>
    private static List<string> Totals(JsonElement data, string[] select)
    {
        if (!data.TryGetProperty("total", out var total)) return [];
        switch (total.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.False:
                return [];
            case JsonValueKind.True:
                return [.. select.Where(n => Array.IndexOf(SummableColumns, n) >= 0)];
            case JsonValueKind.Number when total.TryGetInt32(out var flag) && flag is 0 or 1:
                return flag == 1 ? [.. select.Where(n => Array.IndexOf(SummableColumns, n) >= 0)] : [];
            case JsonValueKind.Array:
                var names = Names(total, "total");
                foreach (var name in names)
                {
                    if (Array.IndexOf(SummableColumns, name) < 0)
                    {
                        throw ProtocolException.InvalidData($"total can sum {string.Join(", ", SummableColumns)}, not '{name}'");
                    }
                    if (Array.IndexOf(select, name) < 0) throw ProtocolException.InvalidData($"total names '{name}', which select leaves out");
                }
                return [.. names.Distinct(StringComparer.Ordinal)];
            default:
                throw ProtocolException.InvalidData("total must be a list of fields, 1/true or 0/false");
        }
    }

    private static string[] Names(JsonElement array, string key)
    {
        if (array.ValueKind != JsonValueKind.Array) throw ProtocolException.InvalidData($"{key} must be a list of field names");
        var names = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw ProtocolException.InvalidData($"{key} must be a list of field names");
            names.Add(item.GetString()!);
        }
        return [.. names];
    }
}
