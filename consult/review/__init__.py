"""What moderators and HQ analysts do with submitted inputs."""
