using Dealwire.Security;
using Dealwire.ServerApi.Commands;
using Dealwire.ServerApi.Dispatch;
using Dealwire.Testing;

namespace Dealwire.ServerApi.Tests;

/// <summary>The rights matrix is the single source of access: registration depends on it and the docs publish it as is.</summary>
public sealed class RightsMatrixDocsTests
{
    [Fact]
    public void A_command_without_a_matrix_entry_cannot_be_registered()
    {
        var table = new CommandTable();
        var error = Assert.Throws<InvalidOperationException>(() => table.Add("MngSetEverything", _ => ValueTask.FromResult(Reply.Ok())));
        Assert.Contains("MngSetEverything has no entry in the rights matrix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_row_without_a_command_is_refused_when_the_catalogue_is_built()
    {
        var table = new CommandTable();
        table.Add("GetSymbols", _ => ValueTask.FromResult(Reply.Ok()));
        var error = Assert.Throws<InvalidOperationException>(table.RequireMatrixCovered);
        Assert.Contains("UpdateSymbol", error.Message, StringComparison.Ordinal);
        CommandCatalog.Build().RequireMatrixCovered();
    }

    [Fact]
    public void Every_row_names_a_known_right_or_the_reason_it_needs_none()
    {
        foreach (var (name, entry) in RightsMatrix.Commands)
        {
            var right = entry.Access.StaffRight;
            Assert.True(right.Name is null ? !string.IsNullOrWhiteSpace(right.NotNeededBecause) : Rights.Known.Contains(right.Name), name);
        }
        Assert.Throws<ArgumentException>(() => StaffRight.Needs("confg"));
        // The configuration commands the report found unguarded.
        foreach (var name in new[] { "AddSymbol", "UpdateSymbol", "DeleteSymbol", "AddSymbolGroup", "UpdateSymbolGroup", "DeleteSymbolGroup" })
        {
            Assert.Equal((Rights.Config, MaskRule.AffectedGroups), (RightsMatrix.For(name).Access.Right, RightsMatrix.For(name).Mask));
        }
        foreach (var name in new[] { "AddGroup", "UpdateGroup", "DeleteGroup" }) Assert.Equal(Rights.Config, RightsMatrix.For(name).Access.Right);
        Assert.Equal(Rights.Email, RightsMatrix.For("MngAddNotify").Access.Right);
    }

    [Fact]
    public void Docs_server_api_publishes_the_matrix_row_for_row()
    {
        var lines = File.ReadAllLines(Path.Combine(DealwireBinary.RepositoryRoot, "docs", "server-api.md"));
        var start = Array.IndexOf(lines, "## Rights matrix");
        Assert.True(start >= 0, "docs/server-api.md has no '## Rights matrix' section");
        var rows = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .ToDictionary(c => c[0].Trim('`'), c => c, StringComparer.Ordinal);

        Assert.Empty(RightsMatrix.Commands.Keys.Where(n => !rows.ContainsKey(n)).Select(n => $"{n}: missing from the docs"));
        Assert.Empty(rows.Keys.Where(n => !RightsMatrix.Commands.ContainsKey(n)).Select(n => $"{n}: documented but not in the matrix"));
        foreach (var (name, entry) in RightsMatrix.Commands)
        {
            var row = rows[name];
            Assert.Equal(Sessions(entry.Access), row[1]);
            Assert.Equal(entry.Access.Right is { } right ? $"`{right}`" : "— " + entry.Access.StaffRight.NotNeededBecause, row[2]);
            Assert.Equal(MaskText(entry.Mask), row[3]);
        }
    }

    private static string Sessions(Access access)
    {
        if (access.IsPublic) return "anyone (no token)";
        var shown = new[] { SessionType.User, SessionType.Manager, SessionType.Dealer, SessionType.Admin };
        return string.Join(", ", shown.Where(access.SessionTypes.Contains).Select(t => t.ToString().ToLowerInvariant()));
    }

    private static string MaskText(MaskRule rule) => rule switch
    {
        MaskRule.None => "none",
        MaskRule.Filtered => "filtered",
        MaskRule.TargetAccount => "target account",
        MaskRule.TargetTrade => "target trade",
        MaskRule.TargetGroup => "target group",
        MaskRule.AffectedGroups => "affected groups",
        MaskRule.NotifyRecipient => "notify recipient",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
