using System.Threading.Channels;

namespace Dealwire.Client.Tests.Infrastructure;

public static class ChannelReaderExtensions
{
    /// <summary>The next item, failing the test instead of hanging when none comes within the timeout.</summary>
    public static Task<T> NextAsync<T>(this ChannelReader<T> reader, TimeSpan? timeout = null) =>
        reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
}
