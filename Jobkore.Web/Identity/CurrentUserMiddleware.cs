namespace Jobkore.Web.Identity;

/// <summary>Hands the authenticated user of each HTTP request to the request's <see cref="CurrentUser"/>.</summary>
internal sealed class CurrentUserMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, CurrentUser currentUser)
    {
        currentUser.Set(context.User);
        return next(context);
    }
}
