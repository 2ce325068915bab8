using Dealwire.ServerApi.Protocol;

namespace Dealwire.ServerApi.Queries;

/// <summary>
/// Optional <c>limit</c> / <c>offset</c> on every table command (the *ByFilter commands require them). A reply
/// larger than the connection's outbound limit is refused with 413 RET_REPLY_TOO_LARGE; the client then asks
/// for pages. Rows keep the command's own order; <c>count</c> (or <c>total</c>) stays the number of all rows.
/// </summary>
internal static class Paging
{
    /// <summary>The requested page of <paramref name="rows"/>, or all of them when neither field is given.</summary>
    public static List<T> Page<T>(DataReader data, List<T> rows)
    {
        if (!data.Has("limit") && !data.Has("offset")) return rows;
        var limit = data.OptionalInt("limit", PagedTable.MaxLimit);
        var offset = data.OptionalInt("offset", 0);
        if (limit is < 1 or > PagedTable.MaxLimit) throw ProtocolException.InvalidData($"limit must be between 1 and {PagedTable.MaxLimit}");
        if (offset < 0) throw ProtocolException.InvalidData("offset must not be negative");
        return rows.Skip(offset).Take(limit).ToList();
    }
}
