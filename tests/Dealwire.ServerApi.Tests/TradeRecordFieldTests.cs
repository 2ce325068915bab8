using System.Buffers;
using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Wire;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>Issue #15: a trade record carries every field of scaletrade-model §4.1, or docs/server-api.md says why not.</summary>
public sealed class TradeRecordFieldTests
{
    /// <summary>§4.1 TradeRecord plus the TCP extras listed under it, as the spec names them.</summary>
    private static readonly string[] Spec =
    [
        "order", "login", "symbol", "digits", "cmd", "volume", "open_time", "state", "open_price", "sl", "tp", "margin_initial", "close_time",
        "gw_volume", "expiration", "reason", "conv_rates", "commission", "prev_commission", "commission_agent", "storage", "prev_storage", "profit",
        "prev_profit", "close_price", "taxes", "magic", "comment", "gw_order", "gw_source", "gw_uuid", "activation", "gw_open_price",
        "gw_close_price", "margin_rate", "api_data", "last_swap_time", "db_state",
        "net_profit", "group", "update_time", "parent_order", "closed_volume", "partial_close_volume", "timestamp",
    ];

    /// <summary>Fields docs/server-api.md ("Trade record fields") documents as not written.</summary>
    private static readonly string[] NotWritten =
        ["prev_commission", "prev_storage", "prev_profit", "db_state", "timestamp", "partial_close_volume"];

    /// <summary>Dealwire's own additions beyond the spec's list.</summary>
    private static readonly string[] Extensions = ["stoplimit_price"];

    [Fact]
    public void A_trade_record_writes_exactly_the_spec_fields_minus_the_documented_ones()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) TradeWire.Write(w, new TradeRecord { Ticket = 7, Login = 1000, Symbol = "EURUSD" }, "demo");
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var written = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var expected = Spec.Except(NotWritten).Concat(Extensions).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(expected.Except(written).Select(f => "missing: " + f));
        Assert.Empty(written.Except(expected).Select(f => "not in the spec: " + f));
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("gw_volume").ValueKind);

        var docs = File.ReadAllText(Path.Combine(DealwireBinary.RepositoryRoot, "docs", "server-api.md"));
        var section = docs[docs.IndexOf("## Trade record fields", StringComparison.Ordinal)..];
        foreach (var field in NotWritten.Append("gw_volume").Append("gw_order")) Assert.Contains($"`{field}`", section, StringComparison.Ordinal);
    }
}
