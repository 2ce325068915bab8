using System.Reflection;

namespace Dealwire.Testing;

/// <summary>
/// Objects of an interface whose every call goes through a test's function, which may answer it, record it, or pass
/// it on to the real object (<c>next</c>): a store that is slow or down, a reader that fails, a store that notes which
/// thread wrote.
/// </summary>
public static class Interception
{
    /// <param name="invoke">Called with the method, its arguments and the same call on <paramref name="inner"/>.</param>
    public static T Wrap<T>(T inner, Func<MethodInfo, object?[], Func<object?>, object?> invoke) where T : class
    {
        var proxy = DispatchProxy.Create<T, Intercepted<T>>();
        ((Intercepted<T>)(object)proxy).Set(inner, invoke);
        return proxy;
    }
}

/// <summary>The proxy behind <see cref="Interception.Wrap{T}"/> (public: the runtime derives the proxy type from it).</summary>
public class Intercepted<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private Func<MethodInfo, object?[], Func<object?>, object?> _invoke = null!;

    internal void Set(T inner, Func<MethodInfo, object?[], Func<object?>, object?> invoke) => (_inner, _invoke) = (inner, invoke);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        var arguments = args ?? [];
        return _invoke(method, arguments, () =>
        {
            try
            {
                return method.Invoke(_inner, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        });
    }
}
