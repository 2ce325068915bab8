using System.Globalization;
using System.Text.Json;
using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Wire;

/// <summary>
/// Documented record fields whose setting Dealwire does not have, because the behaviour they select is fixed here
/// (scaletrade-model §4.8/§4.10, docs/server-api.md "Record fields"). They are written with the one value Dealwire
/// behaves by, so a client that reads a record and sends it back keeps working; a request that asks for another
/// value is refused with 400 <c>INVALID_DATA</c> naming the field, never silently dropped.
/// </summary>
internal sealed class FixedFields
{
    private readonly (string Name, object Value, string Why)[] _fields;

    private FixedFields(params (string Name, object Value, string Why)[] fields) => _fields = fields;

    /// <summary>SymbolRecord fields without a setting in Dealwire.</summary>
    public static readonly FixedFields Symbol = new(
        ("feeder", 0, "feeds bind to symbols by name (source), not by a feeder index"),
        ("background_color", "#ffffff", "display colours belong to the terminal"),
        ("profit_reserved", 0, "reserved"),
        ("filter", 0, "the quote filter is server-wide (Feeds:Filter), not per symbol"),
        ("filter_counter", 1, "the quote filter is server-wide (Feeds:Filter), not per symbol"),
        ("filter_limit", 0, "the quote filter is server-wide (Feeds:Filter), not per symbol"),
        ("filter_smoothing", 0, "the quote filter is server-wide (Feeds:Filter), not per symbol"),
        ("filter_reserved", 0, "reserved"),
        ("logging", 0, "every accepted tick is journaled and kept by the history store"),
        ("exemode", 2, "every order is filled at market (EXE_MARKET); there is no request or instant execution"),
        ("gtc_pendings", 1, "pending orders are good till cancelled unless the order sets its own expiration"),
        ("instant_max_volume", 0, "there is no instant execution"),
        ("realtime", 1, "quotes are always real time"),
        ("starting", 0, "symbols have no trading start date"),
        ("expiration", 0, "symbols have no trading end date"),
        ("margin_hedged_strong", 0, "hedged margin follows margin_hedged and the group's hedge_largeleg"),
        ("value_date", 0, "no value date: spot CFDs"),
        ("quotes_delay", 0, "quotes are not delayed"),
        ("swap_openprice", 0, "swap_type 4 and 5 select open or current price for interest swaps"),
        ("swap_variation_margin", 0, "no variation margin at rollover"));

    /// <summary>GroupRecord fields (tcp §7.7 GetGroups extras and AddGroup optionals) without a setting.</summary>
    public static readonly FixedFields Group = new(
        ("timeout", 0, "orders are filled by the engine at once; there is no dealer confirmation to wait for"),
        ("credit", 0, "credit is booked per account (CreditIn/CreditOut), not granted by the group"),
        ("close_reopen", 0, "a close is a close; positions are never closed and reopened"),
        ("interestrate", 0, "no interest accrues on balances"),
        ("archive_pending_period", 0, "accounts and pending orders are not archived; history stays in the history store"),
        ("public_opening", 0, "accounts are opened by staff (AddUser), not by a public registration page"));

    /// <summary>GroupRecordSec (secgroups row) fields without a setting.</summary>
    public static readonly FixedFields Security = new(
        ("execution", 1, "orders are executed automatically (EXECUTION_AUTO); there is no manual dealing"),
        ("comm_tax", 0, "no tax is charged on commission"),
        ("confirmation", 0, "there is no dealer confirmation"),
        ("ie_deviation", 0, "there is no instant execution"),
        ("ie_quick_mode", 0, "there is no instant execution"),
        ("autocloseout_mode", 0, "positions are not closed out automatically against each other"),
        ("freemargin_mode", 0, "free margin follows the group's margin_mode"));

    public IEnumerable<string> Names => _fields.Select(f => f.Name);

    public void Write(Utf8JsonWriter w)
    {
        foreach (var (name, value, _) in _fields)
        {
            if (value is string s) w.WriteString(name, s);
            else w.WriteNumber(name, (int)value);
        }
    }

    /// <summary>Whether <paramref name="name"/> is one of these fields; writes its value when it is.</summary>
    public bool TryWriteValue(Utf8JsonWriter w, string name)
    {
        foreach (var (field, value, _) in _fields)
        {
            if (field != name) continue;
            if (value is string s) w.WriteStringValue(s);
            else w.WriteNumberValue((int)value);
            return true;
        }
        return false;
    }

    /// <summary>Refuses a request that sets one of these fields to anything but its fixed value.</summary>
    public void Check(JsonElement data, string where = "")
    {
        if (data.ValueKind != JsonValueKind.Object) return;
        foreach (var (name, value, why) in _fields)
        {
            if (!data.TryGetProperty(name, out var given) || given.ValueKind == JsonValueKind.Null) continue;
            if (Matches(given, value)) continue;
            var shown = value is string s ? "\"" + s + "\"" : ((int)value).ToString(CultureInfo.InvariantCulture);
            throw ProtocolException.InvalidData($"{where}{name} can only be {shown}: {why}");
        }
    }

    private static bool Matches(JsonElement given, object value) => value switch
    {
        string s => given.ValueKind == JsonValueKind.String && string.Equals(given.GetString(), s, StringComparison.OrdinalIgnoreCase),
        int i => given.ValueKind == JsonValueKind.Number && given.TryGetDecimal(out var d) && d == i,
        _ => false,
    };
}
