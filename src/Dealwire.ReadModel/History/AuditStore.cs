namespace Dealwire.ReadModel.History;

/// <summary>The audit log as the side-channel writer and GetLogs see it: implemented by both SQL history stores.</summary>
public interface IAuditStore : IAuditLogReader
{
    /// <summary>Creates the schema if missing (the projector may still be opening the store) and the <c>status</c> column.</summary>
    Task OpenAuditAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores side-channel events in one transaction.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default);
}
