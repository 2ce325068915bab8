using System.Buffers;
using System.Text.Json;
using Dealwire.Engine.Model;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Protocol;
using Dealwire.ServerApi.Wire;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>
/// Issue #15: symbol and group records carry every documented field (scaletrade-model §4.8, §4.10, tcp §7.7), with its
/// real value or the fixed value docs/server-api.md ("Symbol and group record fields") explains; a request that asks for
/// a behaviour Dealwire does not have is refused by name, and a record read back is accepted unchanged.
/// </summary>
public sealed class ConfigRecordFieldTests
{
    /// <summary>§4.8 SymbolRecord, as the spec names its fields, plus GetSymbol's <c>max_volume</c>.</summary>
    private static readonly string[] SymbolSpec =
    [
        "symbol", "description", "source", "feeder", "currency", "sec_index", "digits", "trade", "sym_index", "sort_index",
        "background_color", "count", "count_original", "sessions", "profit_mode", "profit_reserved", "filter", "filter_counter",
        "filter_limit", "filter_smoothing", "filter_reserved", "logging", "spread", "spread_balance", "exemode", "swap_enable",
        "swap_type", "swap_long", "swap_short", "swap_rollover3days", "swap_daily", "contract_size", "tick_value", "tick_size",
        "stops_level", "gtc_pendings", "margin_mode", "margin_initial", "margin_maintenance", "margin_hedged", "margin_divider",
        "point", "multiply", "bid_tickvalue", "ask_tickvalue", "tick_time", "bid", "ask", "long_only", "instant_max_volume",
        "realtime", "starting", "expiration", "quote_currency", "margin_currency", "freeze_level", "margin_hedged_strong",
        "value_date", "quotes_delay", "swap_openprice", "swap_variation_margin", "unused", "db_state", "max_volume",
    ];

    /// <summary>Reserved array and devkit-internal persistence flag: not part of a record a client reads.</summary>
    private static readonly string[] SymbolNotWritten = ["unused", "db_state"];

    /// <summary>tcp §7.7: the GetGroups row extras and the AddGroup/UpdateGroup fields.</summary>
    private static readonly string[] GroupSpec =
    [
        "group", "company", "currency", "enable", "margin_call", "margin_mode", "margin_type", "margin_stopout", "default_leverage",
        "default_deposit", "secgroups", "secmargins", "credit", "use_swap", "hedge_prohibited", "stopout_skip_hedged", "close_reopen",
        "interestrate", "hedge_largeleg", "archive_pending_period", "maxpositions", "timeout", "brand", "account_mode",
        "public_opening", "partial_close", "allow_sl_tp_slippage",
    ];

    /// <summary>tcp §7.7 secgroups fields plus the row extras name, description, comm_agent_lots.</summary>
    private static readonly string[] SecuritySpec =
    [
        "sec_index", "show", "trade", "execution", "comm_base", "comm_agent", "comm_type", "comm_lots", "comm_agent_type", "comm_tax",
        "lot_min", "lot_max", "lot_step", "spread_diff", "confirmation", "ie_deviation", "ie_quick_mode", "trade_rights",
        "autocloseout_mode", "freemargin_mode", "name", "description", "comm_agent_lots",
    ];

    private static readonly SymbolConfig Symbol = new() { Name = "EURUSD", Digits = 5, ContractSize = 100_000m, MarginInitial = 1000m, SymbolIndex = 3 };

    private static readonly GroupConfig Group = new()
    {
        Name = "demo",
        Securities = [new GroupSecurity { SecurityIndex = 1 }, new GroupSecurity { SecurityIndex = 9 }],
    };

    private static readonly Dictionary<int, SymbolGroupConfig> SymbolGroups = new()
    {
        [1] = new SymbolGroupConfig { Index = 1, Name = "Forex", Description = "Currency pairs" },
    };

    [Fact]
    public void A_symbol_record_writes_every_spec_field_but_the_reserved_ones()
    {
        using var doc = Write(w => SymbolWire.Write(w, Symbol, new Quote(1.1m, 1.1002m, 0)));
        var written = Names(doc.RootElement);
        var expected = SymbolSpec.Except(SymbolNotWritten).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(expected.Except(written).Select(f => "missing: " + f));
        Assert.Empty(written.Except(expected).Select(f => "not in the spec: " + f));
        Assert.Equal(SymbolWire.Columns.Length, SymbolWire.Columns.Distinct().Count());
        Assert.Equal("sessions", SymbolWire.Columns[^1]);

        var r = doc.RootElement;
        Assert.Equal(3, r.GetProperty("count").GetInt32());
        Assert.Equal(3, r.GetProperty("count_original").GetInt32());
        Assert.Equal(1000m, r.GetProperty("margin_maintenance").GetDecimal());
        Assert.Equal(100_000m, r.GetProperty("multiply").GetDecimal());
        Assert.Equal(1m, r.GetProperty("bid_tickvalue").GetDecimal()); // 0.00001 × 100 000
        Assert.Equal(2, r.GetProperty("exemode").GetInt32());
        Assert.Equal("#ffffff", r.GetProperty("background_color").GetString());
    }

    [Fact]
    public void A_group_row_and_its_secgroups_write_every_documented_field_with_the_symbol_group_name()
    {
        using var doc = Write(w => GroupWire.Write(w, Group, SymbolGroups));
        var written = Names(doc.RootElement);
        Assert.Empty(GroupSpec.Except(written).Select(f => "group missing: " + f));

        var rows = doc.RootElement.GetProperty("secgroups").EnumerateArray().ToList();
        Assert.Empty(SecuritySpec.Except(Names(rows[0])).Select(f => "secgroups missing: " + f));
        Assert.Equal("Forex", rows[0].GetProperty("name").GetString());
        Assert.Equal("Currency pairs", rows[0].GetProperty("description").GetString());
        Assert.Equal("", rows[1].GetProperty("name").GetString()); // a row naming a deleted symbol group
        Assert.Equal(1, rows[0].GetProperty("execution").GetInt32());
    }

    [Fact]
    public void A_group_record_read_back_is_accepted_unchanged()
    {
        using var doc = Write(w => GroupWire.Write(w, Group, SymbolGroups));
        var patch = ConfigReader.Group(new DataReader(doc.RootElement));
        Assert.Equal(2, patch.Securities!.Count);
        using var symbol = Write(w => SymbolWire.Write(w, Symbol, null));
        Assert.Equal(5, ConfigReader.Symbol(new DataReader(symbol.RootElement)).Digits);
    }

    [Theory]
    [InlineData("""{"interestrate":2.5}""", "interestrate can only be 0")]
    [InlineData("""{"close_reopen":1}""", "close_reopen can only be 0")]
    [InlineData("""{"timeout":30}""", "timeout can only be 0")]
    [InlineData("""{"secgroups":[{"sec_index":1,"execution":0}]}""", "secgroups.execution can only be 1")]
    [InlineData("""{"secgroups":[{"sec_index":1,"ie_deviation":5}]}""", "secgroups.ie_deviation can only be 0")]
    public void A_group_setting_dealwire_does_not_have_is_refused_by_name(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        var e = Assert.Throws<ProtocolException>(() => ConfigReader.Group(new DataReader(doc.RootElement)));
        Assert.Equal(400, e.Status);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"exemode":1}""", "exemode can only be 2")]
    [InlineData("""{"filter":3}""", "filter can only be 0")]
    [InlineData("""{"background_color":"#000000"}""", "background_color can only be \"#ffffff\"")]
    public void A_symbol_setting_dealwire_does_not_have_is_refused_by_name(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        var e = Assert.Throws<ProtocolException>(() => ConfigReader.Symbol(new DataReader(doc.RootElement)));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docs_explain_every_fixed_field()
    {
        var docs = File.ReadAllText(Path.Combine(DealwireBinary.RepositoryRoot, "docs", "server-api.md"));
        var section = docs[docs.IndexOf("## Symbol and group record fields", StringComparison.Ordinal)..];
        foreach (var field in FixedFields.Symbol.Names.Concat(FixedFields.Group.Names).Concat(FixedFields.Security.Names)
                     .Concat(SymbolNotWritten).Concat(["count", "margin_maintenance", "multiply", "bid_tickvalue"]))
        {
            Assert.Contains($"`{field}`", section, StringComparison.Ordinal);
        }
    }

    private static JsonDocument Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static HashSet<string> Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
}
