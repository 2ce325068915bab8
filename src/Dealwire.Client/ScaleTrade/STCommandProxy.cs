using System.Dynamic;

namespace ScaleTrade;

/// <summary>
/// <see cref="STPlatform.Command"/>: every method call on it becomes a command of that name, its single
/// argument the <c>data</c> object (none = <c>{}</c>). Returns <c>Task&lt;STResponse&gt;</c>.
/// </summary>
public sealed class STCommandProxy : DynamicObject
{
    private readonly STPlatform _platform;

    internal STCommandProxy(STPlatform platform) => _platform = platform;

    /// <inheritdoc/>
    public override bool TryInvokeMember(InvokeMemberBinder binder, object?[]? args, out object? result)
    {
        ArgumentNullException.ThrowIfNull(binder);
        args ??= [];
        if (args.Length > 1) throw new ArgumentException($"{binder.Name} takes one data object; got {args.Length} arguments.");
        result = _platform.CallAsync(binder.Name, args.Length == 1 ? args[0] : null);
        return true;
    }
}
