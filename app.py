from wardtrack import create_app

app = create_app()
