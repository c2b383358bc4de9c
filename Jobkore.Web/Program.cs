using Jobkore.Core;
using Jobkore.Core.Security;
using Jobkore.Web;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOperatorSettings(builder.Environment);
builder.Configuration.AddBuiltInSandboxDefault(builder.Environment);
builder.WebHost.UseStaticWebAssets();
builder.Services.AddJobkoreCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddJobkoreWeb(builder.Configuration, builder.Environment);

var app = builder.Build();
// Refuse bad settings before anything touches the database; the host itself would check them only once started.
app.Services.GetService<IStartupValidator>()?.Validate();
// The database first: on PostgreSQL the key ring is one of its tables.
await app.Services.InitializeJobkoreDatabaseAsync();
app.Services.UseCertificateProtectedKeyNow();
app.UseJobkoreWeb();
await app.RunAsync();

/// <summary>Entry point; public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
