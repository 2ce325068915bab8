using System.Text.Json;

namespace Dealwire.ManagerApi.Tests.Infrastructure;

internal static class Json
{
    /// <summary>Follows a dotted path ("success.accounts.response.data").</summary>
    public static JsonElement At(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.')) e = e.GetProperty(part);
        return e;
    }

    public static string[] Keys(this JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Asserts an object has exactly these keys, in this order.</summary>
    public static void HasKeys(this JsonElement e, params string[] keys) => Assert.Equal(keys, e.Keys());
}
