from .present.cli import cli

if __name__ == "__main__":  # (not when a helper process imports it)
    cli(prog_name="groundsearch")
