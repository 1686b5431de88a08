"""What an operator installs around the app: nginx's site, systemd's units, upgrades."""
