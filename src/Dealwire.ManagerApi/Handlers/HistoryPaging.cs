using Dealwire.ManagerApi.Protocol;
using Dealwire.ManagerApi.Session;
using Dealwire.ReadModel.History;

namespace Dealwire.ManagerApi.Handlers;

/// <summary>
/// Dealwire's keyset paging extension of the history reads (<c>get_history_positions</c>, <c>get_balance_operations</c>),
/// the same fields as the Server API's: optional <c>limit</c> (1–<see cref="MaxLimit"/> rows) and <c>cursor</c> (the
/// <c>"&lt;time_ms&gt;:&lt;id&gt;"</c> of the previous reply's <c>next_cursor</c>). A request without them is answered
/// exactly as the protocol documents, every row at once. Keyset pages stay exact while new rows are written: a row
/// is never skipped or repeated, unlike offsets.
/// </summary>
internal readonly record struct HistoryPaging(int? Limit, HistoryCursor? After)
{
    public const int MaxLimit = 10_000;

    public static readonly HistoryPaging None = new(null, null);

    public bool IsPaged => Limit is not null;

    /// <summary>Reads <c>limit</c> and <c>cursor</c>; a bad value is refused with <c>invalid_message_format</c>.</summary>
    public static HistoryPaging Read(Request request)
    {
        var limit = request.OptionalLong("limit");
        var cursorText = request.OptionalString("cursor");
        if (limit is not null && limit is < 1 or > MaxLimit) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
        HistoryCursor? after = null;
        if (cursorText is not null)
        {
            if (!HistoryCursor.TryParse(cursorText, out var parsed)) throw new RequestRejectedException(ManagerErrors.InvalidMessageFormat);
            after = parsed;
        }
        // A cursor alone pages with the largest page.
        return after is null && limit is null ? None : new HistoryPaging((int?)limit ?? MaxLimit, after);
    }

    /// <summary>The store query's page: every row when not paged.</summary>
    public HistoryQuery Apply(HistoryQuery query) => IsPaged ? query with { Limit = Limit!.Value, After = After } : query with { Limit = int.MaxValue };
}
