using System.Reflection;
using Dealwire.Engine.Commands;
using Dealwire.Engine.Core;

namespace Dealwire.Engine.Tests.Idempotency;

/// <summary>The fingerprint names every request field: changing any property of any idempotent command changes it.</summary>
public class IdempotencyFingerprintTests
{
    // Closed and Entry carry the record the gateway read from history: a retry may carry a later read of it.
    private static readonly HashSet<string> NotRequest = ["Sequence", "Time", "Actor", "IdempotencyKey", "EqualityContract", "Closed", "Entry"];

    private static readonly Type[] Types =
        typeof(EngineCommand).Assembly.GetTypes().Where(t => typeof(IIdempotentCommand).IsAssignableFrom(t) && !t.IsInterface).ToArray();

    public static TheoryData<Type> IdempotentCommands() => new(Types);

    [Fact]
    public void Every_money_and_position_command_takes_a_key()
    {
        var names = Types.Select(t => t.Name).Order().ToArray();
        Assert.Equal(
            ["AmendLedger", "CancelPendingOrder", "CloseBy", "ClosePosition", "DeleteTrade", "EditTrade", "ModifyPendingOrder", "ModifyPosition",
             "OpenPosition", "PlacePendingOrder", "PostLedger", "RestoreTrade", "ReverseLedger"],
            names);
    }

    [Theory]
    [MemberData(nameof(IdempotentCommands))]
    public void Every_request_property_changes_the_fingerprint(Type type)
    {
        var original = Create(type);
        var fingerprint = IdempotencyFingerprint.Of(original);
        var clone = type.GetMethod("<Clone>$")!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && !NotRequest.Contains(p.Name)))
        {
            var changed = (EngineCommand)clone.Invoke(original, null)!;
            property.SetValue(changed, Different(property.PropertyType, property.GetValue(original)));
            Assert.True(IdempotencyFingerprint.Of(changed) != fingerprint, $"{type.Name}.{property.Name} does not change the fingerprint");
        }
        // And what is not the request does not.
        var stamped = (EngineCommand)clone.Invoke(original, null)!;
        stamped.Stamp(99, 12345);
        Assert.Equal(fingerprint, IdempotencyFingerprint.Of(stamped));
    }

    [Fact]
    public void Decimals_are_compared_by_value_not_by_scale()
    {
        var a = new OpenPosition(1, "EURUSD", Model.TradeCommand.Buy, 100) { StopLoss = 1.1m };
        var b = a with { StopLoss = 1.10m };
        Assert.Equal(IdempotencyFingerprint.Of(a), IdempotencyFingerprint.Of(b));
    }

    private static EngineCommand Create(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First(c => c.GetParameters().All(p => p.ParameterType != type));
        var args = ctor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray();
        return (EngineCommand)ctor.Invoke(args);
    }

    private static object? Sample(Type t) =>
        t == typeof(string) ? "s" : t.IsEnum ? Enum.ToObject(t, 1) : t.IsValueType ? Activator.CreateInstance(t) : null;

    private static object Different(Type t, object? current)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u is not null) return current is null ? Different(u, Activator.CreateInstance(u)) : Different(u, current);
        if (t == typeof(string)) return (string?)current == "x" ? "y" : "x";
        if (t == typeof(bool)) return !(bool)current!;
        if (t == typeof(int)) return (int)current! + 7;
        if (t == typeof(long)) return (long)current! + 7;
        if (t == typeof(decimal)) return (decimal)current! + 0.7m;
        if (t.IsEnum) return Enum.ToObject(t, Convert.ToInt64(current) + 1);
        throw new InvalidOperationException($"no sample for {t}");
    }
}
