# A Flask app to serve with your server: `wire start wsgi-server flask_app:app`.
from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return f"Hello from Flask, {request.args.get('name', 'world')}!\n"
