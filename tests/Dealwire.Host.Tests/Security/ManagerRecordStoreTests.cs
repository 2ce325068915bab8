using Dealwire.Security;

namespace Dealwire.Host.Tests.Security;

/// <summary>Issue #15: manager records own the keys and tokens; they survive a restart and older key files migrate into them.</summary>
public sealed class ManagerRecordStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dw-managers-").FullName;
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_key_file_of_an_older_data_directory_becomes_records_with_the_same_ids_and_its_keys_keep_working()
    {
        // Written as a data directory from before manager records had it: keys only.
        var keys = Path.Combine(_dir, "keys");
        Directory.CreateDirectory(keys);
        var old = new ManagerKeyStore(_dir);
        var secret = old.Issue("legacy", "demo*", T0);
        File.Delete(Path.Combine(keys, "managers.json"));

        var store = new ManagerKeyStore(_dir);
        var record = Assert.Single(store.Managers.Listed);
        Assert.Equal((1L, "legacy", "demo*", true), (record.Id, record.Name, record.Groups, record.Enable));
        Assert.Equal(Rights.ManagerDefault.Order(), record.Rights);
        var identity = store.Authenticate(secret)!;
        Assert.Equal((SessionType.Manager, 1L, "demo*"), (identity.Type, identity.Id, identity.GroupMask));
    }

    [Fact]
    public void Records_survive_a_restart_and_the_password_is_stored_only_hashed()
    {
        var store = new ManagerKeyStore(_dir);
        var added = store.Managers.Add(new ManagerRecord { Name = "ops", Groups = "real*", PasswordHash = PasswordHasher.Create("pa55word"), Rights = ["see_trades"] }, T0);

        var restarted = new ManagerKeyStore(_dir);
        var record = restarted.Managers.Find(added.Id)!.Value.Record;
        Assert.Equal(("ops", "real*"), (record.Name, record.Groups));
        Assert.True(PasswordHasher.Verify("pa55word", record.PasswordHash));
        Assert.DoesNotContain("pa55word", File.ReadAllText(Path.Combine(_dir, "keys", "managers.json")));
    }

    [Fact]
    public void A_key_authenticates_with_the_record_rights_and_stops_when_the_manager_is_disabled()
    {
        var store = new ManagerKeyStore(_dir);
        var secret = store.Issue("desk", "demo", T0);
        var id = store.Find(secret)!.ManagerId;
        store.Managers.Update(id, r => r with { Rights = ["see_accounts"], Groups = "demo*" }, T0);

        var identity = store.Authenticate(secret)!;
        Assert.Equal(["see_accounts"], identity.Rights.Order());
        Assert.Equal("demo*", identity.GroupMask);

        var generation = store.Generation;
        store.Managers.Update(id, r => r with { Enable = false }, T0);
        Assert.Null(store.Authenticate(secret));
        Assert.Empty(store.Keys); // the Manager API's key watch closes its sessions
        Assert.NotEqual(generation, store.Generation);
    }

    [Fact]
    public void A_staff_token_follows_its_record_and_a_token_without_one_keeps_its_claims()
    {
        var store = new ManagerKeyStore(_dir);
        var record = store.Managers.Add(new ManagerRecord { Name = "risk", Groups = "demo*", Rights = ["see_accounts", "set_trades"] }, T0);
        var token = new SessionIdentity { Type = SessionType.Manager, Id = record.Id, GroupMask = "*", Rights = Rights.Known };

        var bound = store.Current(token)!;
        Assert.Equal(("demo*", 2), (bound.GroupMask, bound.Rights.Count));
        Assert.Same(bound, store.Current(bound)); // unchanged record: no new identity per command

        store.Managers.Update(record.Id, r => r with { Rights = ["see_accounts"] }, T0);
        Assert.False(store.Current(token)!.HasRight(Rights.SetTrades));

        store.Managers.Delete(record.Id, T0);
        Assert.Null(store.Current(token));
        // A deleted id is never given again.
        Assert.True(store.Managers.Add(new ManagerRecord { Name = "next" }, T0, store.NextId()).Id > record.Id);

        var unbound = new SessionIdentity { Type = SessionType.Manager, Id = 77_777, Rights = Rights.Known };
        Assert.Same(unbound, store.Current(unbound));
    }

    [Fact]
    public void The_demo_admin_token_is_not_captured_by_a_plain_manager_with_its_id_but_an_admin_record_binds_admin_tokens()
    {
        var store = new ManagerKeyStore(_dir);
        var plain = store.Managers.Add(new ManagerRecord { Name = "first" }, T0); // id 1, like the demo admin token
        var demoAdmin = new SessionIdentity { Type = SessionType.Admin, Id = plain.Id };
        Assert.Same(demoAdmin, store.Current(demoAdmin));

        var boss = store.Managers.Add(new ManagerRecord { Name = "boss", Admin = true }, T0);
        var adminToken = new SessionIdentity { Type = SessionType.Admin, Id = boss.Id };
        Assert.Equal(SessionType.Admin, store.Current(adminToken)!.Type);
        // Demoted: its admin tokens become manager tokens with the record's rights.
        store.Managers.Update(boss.Id, r => r with { Admin = false, Rights = ["logs"] }, T0);
        var demoted = store.Current(adminToken)!;
        Assert.Equal(SessionType.Manager, demoted.Type);
        Assert.False(demoted.HasRight(Rights.SetBalance));
    }

    [Fact]
    public void Names_and_emails_are_unique_and_a_change_by_another_process_is_reported()
    {
        var running = new ManagerKeyStore(_dir);
        running.Managers.Add(new ManagerRecord { Name = "amy", Email = "amy@b.test" }, T0);
        Assert.Throws<ManagerRecordException>(() => running.Managers.Add(new ManagerRecord { Name = "AMY" }, T0));
        Assert.Throws<ManagerRecordException>(() => running.Managers.Add(new ManagerRecord { Name = "bea", Email = "AMY@b.test" }, T0));

        var reported = new List<ManagerChange>();
        running.Managers.ChangedOutside += reported.AddRange;
        var cli = new ManagerKeyStore(_dir);
        Thread.Sleep(20); // the file's timestamp must differ from the one the running store wrote
        var bea = cli.Managers.Add(new ManagerRecord { Name = "bea" }, T0, cli.NextId());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (running.Managers.Find(bea.Id) is null && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Contains(reported, c => c.ManagerId == bea.Id && c.Action == "AddManager");
        Assert.DoesNotContain(reported, c => c.Detail.Contains("pbkdf2", StringComparison.Ordinal));
    }
}
