using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Jobkore.Web.Identity;

/// <summary>
/// Hands the circuit's user to the circuit's <see cref="CurrentUser"/> before each piece of inbound activity
/// (first render, events, navigation), so services see the right user and business.
/// </summary>
internal sealed class UserCircuitHandler(AuthenticationStateProvider authenticationStateProvider, CurrentUser currentUser) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            currentUser.Set((await authenticationStateProvider.GetAuthenticationStateAsync()).User);
            await next(context);
        };
}
