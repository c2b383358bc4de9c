namespace Jobkore.QuickBooksSandbox.FaultInjection;

/// <summary>JSON controls for <see cref="SandboxFaults"/>, mapped only when configured (FaultInjectionEndpoints).</summary>
internal static class FaultEndpoints
{
    public static void Map(IEndpointRouteBuilder group)
    {
        var faults = group.MapGroup("/_sandbox");
        faults.MapPost("/faults", (FaultRequest request, SandboxFaults sandboxFaults) =>
        {
            sandboxFaults.Configure(request.RealmId, request.Settings ?? new FaultSettings(), request.Seed ?? 1);
            return Results.Ok();
        }).DisableAntiforgery();
        faults.MapDelete("/faults", (SandboxFaults sandboxFaults) =>
        {
            sandboxFaults.Clear();
            return Results.Ok();
        });
        faults.MapPost("/tokens/expire", (RealmRequest request, SandboxFaults sandboxFaults, TimeProvider time) =>
        {
            sandboxFaults.ExpireAccessTokensNow(request.RealmId, time.GetUtcNow());
            return Results.Ok();
        }).DisableAntiforgery();
        faults.MapPost("/tokens/revoke", (RealmRequest request, SandboxFaults sandboxFaults) =>
        {
            sandboxFaults.RevokeGrantsNow(request.RealmId);
            return Results.Ok();
        }).DisableAntiforgery();
    }

    internal sealed record FaultRequest(string? RealmId, FaultSettings? Settings, int? Seed);

    internal sealed record RealmRequest(string? RealmId);
}
