using System.Globalization;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;
using Dealwire.Engine.Runtime;
using Dealwire.ReadModel.Live;
using Dealwire.WebConsole.Search;

namespace Dealwire.Console.Tests;

/// <summary>
/// The accounts list's index against the plain definition of the search (a login prefix, or a part of the name or
/// e-mail in any case; the group and the mask; login order; one page), over a few thousand accounts and many queries,
/// and its rebuild when the live view applies an account change.
/// </summary>
public sealed class AccountIndexTests
{
    private static readonly string[] Groups = ["demo", "real\\eu", "real\\us", "TestGroup"];

    private static AccountSnapshot Account(long login, string group, string name, string email) =>
        new(new AccountProfile { Login = login, Group = group, Name = name, Email = email }, new MarginSnapshot { Login = login, Group = group });

    private static (LiveView View, List<AccountSnapshot> Accounts) Seeded(int count)
    {
        var random = new Random(20);
        var first = new[] { "Anna", "Boris", "Chen", "Dana", "Émile", "Farah", "Gus", "Hana" };
        var accounts = Enumerable.Range(0, count).Select(i =>
        {
            var login = 1000 + i * 7 + random.Next(7);
            var name = $"{first[random.Next(first.Length)]} {(char)('A' + random.Next(26))}{random.Next(1000)}";
            return Account(login, Groups[random.Next(Groups.Length)], name, $"{name.Replace(' ', '.').ToLowerInvariant()}@x{random.Next(5)}.example");
        }).ToList();
        var view = new LiveView();
        view.Load(new LiveSeed(10, accounts, [], [], [], [], [], []));
        return (view, accounts);
    }

    private static List<long> Reference(IEnumerable<AccountSnapshot> accounts, string q, string group, Func<string, bool> visible) =>
        accounts.Select(a => a.Profile).Where(p => visible(p.Group) && (group.Length == 0 || p.Group == group) && (q.Length == 0
                || p.Login.ToString(CultureInfo.InvariantCulture).StartsWith(q, StringComparison.Ordinal)
                || p.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || p.Email.Contains(q, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(p => p.Login).Select(p => p.Login).ToList();

    [Fact]
    public void Searches_agree_with_the_plain_definition_for_every_query_group_mask_and_page()
    {
        var (view, accounts) = Seeded(3_000);
        var index = new AccountIndex(view);
        var masks = new Func<string, bool>[] { _ => true, g => g.StartsWith("real", StringComparison.Ordinal), g => g == "TestGroup" };
        var queries = new[] { "", "1", "12", "123", "20", "a", "an", "ann", "ANNA", "émile", "e a", "@x3", "x3.example", "na b", "zzz", "anna b7", ".example" };
        foreach (var visible in masks)
        {
            foreach (var group in new[] { "", "demo", "real\\eu" })
            {
                foreach (var q in queries)
                {
                    var expected = Reference(accounts, q, group, visible);
                    foreach (var (skip, take) in new[] { (0, 50), (50, 50), (expected.Count - 10, 50), (0, 5_000) })
                    {
                        var (total, logins) = index.Search(q, group, visible, Math.Max(0, skip), take);
                        Assert.Equal(expected.Count, total);
                        Assert.Equal(expected.Skip(Math.Max(0, skip)).Take(take), logins);
                    }
                }
            }
        }
    }

    [Fact]
    public void An_account_change_in_the_live_view_rebuilds_the_index_before_the_next_search()
    {
        var (view, accounts) = Seeded(200);
        var index = new AccountIndex(view);
        Assert.Equal(0, index.Search("renamed", "", _ => true, 0, 50).Total);

        var target = accounts[17].Profile;
        var renamed = Account(target.Login, "demo", "Renamed Trader", "renamed@example.com");
        var added = Account(999_999, "TestGroup", "Newcomer", "new@example.com");
        Apply(view, 11, new AccountEvent(RecordChange.Update, renamed), new AccountEvent(RecordChange.Add, added));

        Assert.Equal([target.Login], index.Search("renamed", "", _ => true, 0, 50).Logins);
        Assert.Equal([999_999L], index.Search("99999", "TestGroup", _ => true, 0, 50).Logins);
        Assert.Equal(201, index.Search("", "", _ => true, 0, 50).Total);

        Apply(view, 12, new AccountEvent(RecordChange.Delete, added));
        Assert.Equal(0, index.Search("newcomer", "", _ => true, 0, 50).Total);
    }

    private static void Apply(LiveView view, long sequence, params EngineEvent[] events) => view.Apply(new CommittedBatch(sequence, sequence, [], events));
}
