using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jobkore.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncPending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncPending",
                columns: table => new
                {
                    BusinessId = table.Column<int>(type: "INTEGER", nullable: false),
                    RealmId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    EntityType = table.Column<int>(type: "INTEGER", nullable: false),
                    EntityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Waiting = table.Column<bool>(type: "INTEGER", nullable: false),
                    Failed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Flagged = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncPending", x => new { x.BusinessId, x.RealmId, x.EntityType, x.EntityId });
                    table.ForeignKey(
                        name: "FK_SyncPending_Businesses_BusinessId",
                        column: x => x.BusinessId,
                        principalTable: "Businesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncPending");
        }
    }
}
