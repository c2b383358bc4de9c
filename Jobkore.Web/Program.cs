using Jobkore.Core;
using Jobkore.Web;
using Jobkore.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOperatorSettings(builder.Environment);
builder.WebHost.UseStaticWebAssets();
builder.Services.AddJobkoreCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddJobkoreWeb();

var app = builder.Build();
await app.Services.InitializeJobkoreDatabaseAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapGet("/", () => Results.Redirect("/invoices"));
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point; public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
