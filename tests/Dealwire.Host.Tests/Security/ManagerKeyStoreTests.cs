using Dealwire.Security;

namespace Dealwire.Host.Tests.Security;

public sealed class ManagerKeyStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dw-keys-").FullName;

    [Fact]
    public void Keys_are_stored_hashed_and_found_by_their_secret_only()
    {
        var store = new ManagerKeyStore(_dir);
        var secret = store.Issue("risk", "demo*", DateTimeOffset.UnixEpoch);
        var file = File.ReadAllText(Path.Combine(_dir, "keys", "manager-keys.json"));
        Assert.DoesNotContain(secret, file);
        Assert.Equal("risk", store.Find(secret)!.Name);
        Assert.Equal("demo*", store.Find(secret)!.GroupMask);
        Assert.Null(store.Find(secret + "x"));
        Assert.Null(store.Find(""));
        Assert.Null(store.Find(null));
    }

    [Fact]
    public void A_running_store_sees_keys_issued_by_another_process()
    {
        var running = new ManagerKeyStore(_dir);
        Assert.Empty(running.Keys);
        // The CLI works on its own instance of the store, as `dealwire key issue` does.
        var secret = new ManagerKeyStore(_dir).Issue("crm", "*", DateTimeOffset.UnixEpoch);
        Assert.Equal("crm", running.Find(secret)?.Name);
    }

    [Fact]
    public void Reissuing_replaces_the_old_key_and_keeps_the_manager_id()
    {
        var store = new ManagerKeyStore(_dir);
        var first = store.Issue("ops", "*", DateTimeOffset.UnixEpoch);
        var id = store.Find(first)!.ManagerId;
        var second = store.Issue("ops", "real*", DateTimeOffset.UnixEpoch);
        Assert.Null(store.Find(first));
        Assert.Equal(id, store.Find(second)!.ManagerId);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
