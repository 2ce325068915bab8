namespace Dealwire.Gateway.Sessions;

/// <summary>Array edits for copy-on-write indexes: readers keep the array they read, writers publish a new one.</summary>
internal static class CopyOnWrite
{
    public static T[] Without<T>(T[] list, T item) where T : class
    {
        var index = Array.IndexOf(list, item);
        return index < 0 ? list : RemoveAt(list, index);
    }

    public static T[] RemoveAt<T>(T[] list, int index)
    {
        var result = new T[list.Length - 1];
        Array.Copy(list, 0, result, 0, index);
        Array.Copy(list, index + 1, result, index, list.Length - index - 1);
        return result;
    }
}
