using Dealwire.ManagerApi.Wire;

namespace Dealwire.ManagerApi.Session;

public sealed partial class ManagerSession
{
    /// <summary>Runs a trading command once per <c>process_id</c>; a repeat answers the first result.</summary>
    internal async Task Replay<T>(Request request, ReplyKind kind, string processId, Func<Task<T>> command) where T : class
    {
        var key = $"{Key!.ManagerId}:{kind.NewerKey}:{processId}";
        if (!_context.ProcessReplies.TryGet(key, out var result))
        {
            result = await command();
            _context.ProcessReplies.Add(key, result);
        }
        Send(result switch
        {
            OrderView order => Replies.Single(request.Dialect, request.MessageId, kind, order, TradingModels.WriteOrder),
            PositionView position => Replies.Single(request.Dialect, request.MessageId, kind, position, TradingModels.WritePosition),
            _ => throw new InvalidOperationException("unexpected trading result " + result.GetType().Name),
        });
    }
}
