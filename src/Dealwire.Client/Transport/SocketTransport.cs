using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Dealwire.Client;

/// <summary>One TCP (optionally TLS) connection exposed as a pipe pair. Disposing aborts it at once.</summary>
internal sealed class SocketTransport : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _disposed;

    private SocketTransport(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static async Task<SocketTransport> ConnectAsync(ServerApiClientOptions options, CancellationToken cancellationToken)
    {
        var endpoint = EndpointAddress.Parse(options.Endpoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            EndPoint remote = IPAddress.TryParse(endpoint.Host, out var ip) ? new IPEndPoint(ip, endpoint.Port) : new DnsEndPoint(endpoint.Host, endpoint.Port);
            await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = options.TlsTargetHost ?? endpoint.Host,
                    RemoteCertificateValidationCallback = options.RemoteCertificateValidation,
                }, timeout.Token).ConfigureAwait(false);
            }
            return new SocketTransport(socket, stream);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(stream, socket).ConfigureAwait(false);
            throw new TimeoutException($"Connecting to {endpoint} took longer than {options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            await DisposeQuietly(stream, socket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the socket so pending reads and writes end now, without waiting for the peer.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }
        _socket.Close(0);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Abort();
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Completing the writer flushes what is buffered; on an aborted socket that fails, which is expected.
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // The bytes could not go out; the requests they carried are failed by the client.
        }
        await DisposeQuietly(_stream, _socket).ConfigureAwait(false);
    }

    private static async ValueTask DisposeQuietly(Stream? stream, Socket socket)
    {
        try
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A TLS close_notify on a dead socket.
        }
        catch (ObjectDisposedException)
        {
            // Nothing left to release.
        }
        socket.Dispose();
    }
}
